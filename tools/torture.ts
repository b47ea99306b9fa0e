// npm run torture [-- --rounds 50 --seed 1 --jobs 2 <project...>]
// Kill every tool at seeded random moments (SIGKILL and SIGINT in turn), resume until a run
// finishes, and compare with an uninterrupted run. Writes reports/torture.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { pool } from './lib/processes.ts';
import { REPO_ROOT, selectProjects, discoverProjects } from './lib/projects.ts';
import { torture, tortureTable } from './lib/torture.ts';

const argv = yargs(process.argv.slice(2))
  .scriptName('torture')
  .command('$0 [projects..]', 'torture every project, or the ones named (level-4, 05, or a folder)', (y) =>
    y.positional('projects', { type: 'string', array: true, default: [] as string[] }),
  )
  .option('rounds', { type: 'number', default: 50, describe: 'kill-and-resume rounds per project (SIGKILL and SIGINT alternate)' })
  .option('seed', { type: 'number', default: 1, describe: 'seed of the random kill moments' })
  .option('jobs', { type: 'number', default: 2, describe: 'projects tortured at once' })
  .strict()
  .help()
  .parseSync();

const names = (argv.projects as string[]).map(String);
const projects = names.length ? selectProjects(names) : discoverProjects();
const reports = await pool(projects.map((p) => () => torture(p, argv.rounds, argv.seed)), argv.jobs);
process.stdout.write(`${tortureTable(reports)}\n`);
for (const r of reports) for (const p of r.problems) process.stdout.write(`  ${r.project}: ${p}\n`);
mkdirSync(join(REPO_ROOT, 'reports'), { recursive: true });
writeFileSync(join(REPO_ROOT, 'reports', 'torture.json'), `${JSON.stringify({ version: 1, rounds: argv.rounds, seed: argv.seed, reports }, null, 2)}\n`);
const divergences = reports.reduce((n, r) => n + r.divergences, 0);
process.stdout.write(`${divergences === 0 ? 'no divergences' : `${divergences} divergences`} in ${reports.length} projects x ${argv.rounds} rounds\n`);
process.exitCode = divergences === 0 ? 0 : 1;
