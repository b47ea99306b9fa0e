// npm start: the crash-and-recover tour. It runs the level-4 tool on its sample in a scratch
// copy, kills it mid-run, shows the checkpoint left behind, resumes, proves the output is
// whole, then prints the course map and the next step. The working tree is never touched.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratchProject, REPO_ROOT } from '../test/kit/index.ts';

const PROJECT = 'projects/level-4/05-checkpoint-recovery-tool';
const say = (text = '') => process.stdout.write(`${text}\n`);
const indent = (text: string) => text.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, PROJECT, 'project.json'), 'utf8')) as { run: string[]; artifacts: string[]; checkpoint: string };
const scratch = scratchProject(join(REPO_ROOT, PROJECT));
try {
  const cmd = (args: string[]) => `npx tsx project.ts ${args.join(' ')}`;
  say('Crash Course: the tour');
  say('======================');
  say(`A scratch copy of ${PROJECT} is in ${scratch.dir}; your working tree is not touched.\n`);

  say('1. Run the checkpoint recovery tool and kill it (SIGKILL) after its 8th item:');
  const crashArgs = [...manifest.run, '--simulate-crash', '8'];
  say(`  $ ${cmd(crashArgs)}`);
  const crashed = await runCli({ cwd: scratch.dir, args: crashArgs });
  say(indent(crashed.stderr));
  say(`  exit code ${crashed.code}: killed, no cleanup, exactly what a real crash leaves.\n`);

  say(`2. What the crash left behind: the checkpoint (${manifest.checkpoint}):`);
  say(indent(readFileSync(join(scratch.dir, manifest.checkpoint), 'utf8')));
  say('  It records the next item to do, the byte where it starts, and how many bytes of staged');
  say('  results count; the 8th item was processed but never counted, so it will be done again.\n');

  say('3. Run the same command again: it resumes.');
  say(`  $ ${cmd(manifest.run)}`);
  const resumed = await runCli({ cwd: scratch.dir, args: manifest.run });
  say(indent(resumed.stderr));
  say(indent(resumed.stdout));
  say(`  exit code ${resumed.code}; checkpoint ${existsSync(join(scratch.dir, manifest.checkpoint)) ? 'still there (unexpected!)' : 'cleared'}.\n`);

  say('4. Is the output whole? Compare it with a run that was never interrupted:');
  const artifact = manifest.artifacts[0]!;
  const afterCrash = readFileSync(join(scratch.dir, artifact));
  const clean = await runCli({ cwd: scratch.dir, args: manifest.run });
  const uninterrupted = readFileSync(join(scratch.dir, artifact));
  const same = clean.code === 0 && resumed.code === 0 && afterCrash.equals(uninterrupted);
  const items = (JSON.parse(afterCrash.toString()) as Array<{ index: number }>).map((r) => r.index);
  say(`  ${artifact}: ${afterCrash.length} bytes after crash + resume, ${uninterrupted.length} bytes uninterrupted: ${same ? 'byte-identical' : 'DIFFERENT'}.`);
  say(`  ${items.length} results, indexes ${items[0]}..${items.at(-1)}, none missing, none twice: nothing lost, nothing done twice.\n`);
  if (!same) process.exitCode = 1;

  say('The course map');
  say('--------------');
  for (const level of readdirSync(join(REPO_ROOT, 'projects')).filter((d) => d.startsWith('level-')).sort()) {
    for (const name of readdirSync(join(REPO_ROOT, 'projects', level)).sort()) {
      const file = join(REPO_ROOT, 'projects', level, name, 'project.json');
      if (!existsSync(file)) continue;
      const p = JSON.parse(readFileSync(file, 'utf8')) as { level: number; title: string; focus: string };
      say(`  Level ${p.level}  ${`${level}/${name}`.padEnd(38)} ${p.title}: ${p.focus}`);
    }
  }
  say('\nNext step');
  say('---------');
  say('  Start at level 0: read projects/level-0/01-running-sum/README.md, run its commands,');
  say('  then `npx vitest projects/level-0/01-running-sum` while you work, and');
  say('  `npm run course -- status` to see where you stand.');
} finally {
  scratch.remove();
}
