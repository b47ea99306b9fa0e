// npm run grade [-- <project>...]: the rubric of COURSE.md section 9 for every project (or the
// ones named), measured on scratch copies of the working tree. Writes reports/grade.json,
// reports/grade.md (appended to $GITHUB_STEP_SUMMARY when set) and reports/junit.xml.
// Exit 0 when graded, 1 when the course's own files were changed (the grade is still written),
// 2 on bad usage. docs/instructors.md explains the report.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readCatchers } from './lib/catchers.ts';
import { loadConfig } from './lib/config.ts';
import { checkCourseFiles, isClean, readCourseFiles } from './lib/course-files.ts';
import { measureProjects } from './lib/measure.ts';
import { CourseError, REPO_ROOT, selectProjects } from './lib/projects.ts';
import { renderJunit, renderMarkdown, renderTable } from './lib/report.ts';
import { gradeReport } from './lib/rubric.ts';

async function main(argv: string[]): Promise<number> {
  let usage: string | undefined;
  const args = await yargs(argv)
    .scriptName('npm run grade --')
    .command('$0 [projects..]', 'Grade every project (or the ones named: level-4, 05, or the folder path) by the course rubric.', (y) =>
      y.positional('projects', { type: 'string', array: true, describe: 'projects to grade (default: all)' }),
    )
    .option('jobs', { type: 'number', describe: 'test files (or vitest runs) at once (default: course.config.json)' })
    .option('out', { type: 'string', default: 'reports', describe: 'folder for grade.json, grade.md and junit.xml' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress lines on stderr' })
    .example('$0', 'grade the whole course')
    .example('$0 level-4', 'grade one project')
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      usage = msg || err?.message;
    })
    .parseAsync();
  if (usage) {
    process.stderr.write(`${usage}\nRun npm run grade -- --help for the options.\n`);
    return 2;
  }
  if (args.help) return 0;

  const root = REPO_ROOT;
  const config = loadConfig(root);
  if (args.jobs !== undefined) {
    if (!Number.isInteger(args.jobs) || args.jobs < 1) {
      process.stderr.write(`--jobs must be a positive whole number, got ${args.jobs}\n`);
      return 2;
    }
    config.jobs = args.jobs;
  }
  const projects = selectProjects(((args.projects as string[] | undefined) ?? []).map(String), root);
  if (projects.length === 0) {
    process.stderr.write('No projects to grade: no projects/level-N/NN-slug/project.json found.\n');
    return 2;
  }

  const courseFiles = readCourseFiles(root);
  const tampering = courseFiles ? { ...checkCourseFiles(root, courseFiles), checked: true } : { changed: [], missing: [], added: [], checked: false };
  const started = Date.now();
  const log = (line: string) => {
    if (!args.quiet) process.stderr.write(`${line}\n`);
  };
  log(`Grading ${projects.length} project${projects.length === 1 ? '' : 's'} on scratch copies, ${config.jobs} test files at a time...`);
  const measures = await measureProjects(projects, { root, config, courseFiles, catchers: readCatchers(root), progress: (l) => log(`  ${l}`) });
  const report = gradeReport(measures, config.rubric, config.teachBack.minWords, tampering, commitOf(root));

  const outDir = resolve(root, args.out); // a relative --out is inside the repository, an absolute one where it says
  mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(report);
  writeFileSync(join(outDir, 'grade.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'grade.md'), markdown);
  writeFileSync(join(outDir, 'junit.xml'), renderJunit(report));
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);

  process.stdout.write(`${renderTable(report)}\n`);
  const where = relative(process.cwd(), outDir) || '.';
  log(`\nReports: ${join(where, 'grade.json')}, ${join(where, 'grade.md')}, ${join(where, 'junit.xml')} (${Math.round((Date.now() - started) / 1000)} s)`);
  return isClean(tampering) ? 0 : 1;
}

function commitOf(root: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

try {
  process.exitCode = await main(hideBin(process.argv));
} catch (error) {
  if (error instanceof CourseError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
