// npm run course -- <command>: the learner's course CLI (COURSE.md section 7).
//   status [project..]               where each project stands, and the next step
//   break <project> [name]           apply a code or data break (--list, --undo)
//   exercises <project> [name]       run the "Alter it" specs in place
//   checksums [--check]              write (or check) tools/course-files.json
// A project is named as level-4, 05, or its folder path. Exit 0 done, 1 refused, 2 bad usage.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readState, stateDir } from './lib/break-state.ts';
import { applyBreak, listText, undoBreaks, undoEverything } from './lib/breaks.ts';
import { listExercises } from './lib/catalogue.ts';
import { readCatchers } from './lib/catchers.ts';
import { loadConfig } from './lib/config.ts';
import { COURSE_FILES, checkCourseFiles, computeCourseFiles, isClean, readCourseFiles, serialize, writeCourseFiles } from './lib/course-files.ts';
import { measureProjects, type ProjectMeasure } from './lib/measure.ts';
import { cleanEnv } from './lib/processes.ts';
import { CourseError, REPO_ROOT, discoverProjects, resolveProject, selectProjects, type Project } from './lib/projects.ts';
import { isGreen } from './lib/vitest-run.ts';

const root = REPO_ROOT;
const say = (lines: string[] | string) => process.stdout.write(`${([] as string[]).concat(lines).join('\n')}\n`);
const short = (p: Project) => `level-${p.manifest.level}`;

async function status(names: string[], quick: boolean, cache: boolean): Promise<number> {
  const projects = selectProjects(names, root);
  if (projects.length === 0) {
    say('No projects yet: nothing under projects/level-N/ has a project.json.');
    return 0;
  }
  const config = loadConfig(root);
  process.stderr.write(`Checking ${projects.length} project${projects.length === 1 ? '' : 's'} (tests, exercises${quick ? '' : ', breaks'}) on scratch copies; unchanged projects come from the cache...\n`);
  const measures = await measureProjects(projects, {
    root,
    config,
    courseFiles: readCourseFiles(root),
    catchers: readCatchers(root),
    skipBreaks: quick,
    ...(cache ? { cacheDir: join(stateDir(root), 'cache') } : {}),
    progress: (line) => process.stderr.write(`  ${line}\n`),
  });
  const state = readState(root);
  const rows = measures.map((m) => [
    m.id,
    m.suite.ran ? `${isGreen(m.suite) ? 'passing' : 'FAILING'} (${m.suite.passed}/${m.suite.passed + m.suite.failed})` : 'did not run',
    `${m.exercises.filter((e) => e.passed).length}/${m.exercises.length}`,
    quick ? '-' : `${m.breaks.filter((b) => b.caught).length}/${m.breaks.length}`,
    `${m.answers.filter((a) => a.answered).length}/${m.answers.length}`,
    appliedBreaks(state.projects[m.id]),
  ]);
  const header = ['project', 'suite', 'exercises', 'breaks caught', 'teach-back', 'applied breaks'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  say(['', line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '', ...nextStep(projects, measures, quick, config.teachBack.minWords)]);
  return 0;
}

function appliedBreaks(ps: ReturnType<typeof readState>['projects'][string] | undefined): string {
  if (!ps) return '';
  return [...ps.code.map((c) => c.name), ...(ps.data ? [ps.data.name] : [])].join(', ');
}

function nextStep(projects: Project[], measures: ProjectMeasure[], quick: boolean, minWords: number): string[] {
  const state = readState(root);
  for (const [i, m] of measures.entries()) {
    const p = projects[i]!;
    const ps = state.projects[m.id];
    if (ps && (ps.code.length > 0 || ps.data)) {
      return [
        `Next: ${m.id} has breaks applied (${appliedBreaks(ps)}). Find each from what fails, fix it or undo it:`,
        `  npx vitest run --project ${m.id}`,
        `  npm run course -- break ${short(p)} --undo`,
      ];
    }
    if (!isGreen(m.suite)) {
      return [`Next: make the tests of ${m.id} pass again (something in src/ changed what they check):`, `  npx vitest run --project ${m.id}`];
    }
    const exercise = m.exercises.find((e) => !e.passed);
    if (exercise) {
      return [
        `Next: ${m.id}, Alter it: make exercises/${exercise.name}.spec.ts pass (its README says what to build):`,
        `  npm run course -- exercises ${short(p)} ${exercise.name}`,
      ];
    }
    const survivor = m.breaks.find((b) => !b.caught);
    if (survivor) {
      return [
        `Next: ${m.id}, your tests no longer catch break ${survivor.name}: see it survive, then write a test that fails on it:`,
        `  npm run course -- break ${short(p)} ${survivor.name}`,
      ];
    }
    const answer = m.answers.find((a) => !a.answered);
    if (answer) {
      return [`Next: ${m.id}, Explain it: answer "${answer.question}" in ${p.rel}/notes.md (at least ${minWords} words; ${answer.reason}).`];
    }
  }
  return quick
    ? ['Everything shown is done. Run without --quick to check the breaks too, then npm run grade for the full grade.']
    : ['Every project is complete. npm run grade gives the grade your instructor will see.'];
}

async function breakCommand(projectName: string | undefined, name: string | undefined, list: boolean, undo: boolean): Promise<number> {
  const projects = discoverProjects(root);
  if (!projectName) {
    if (undo) {
      say(undoEverything(root, projects));
      return 0;
    }
    throw new CourseError('Name a project: npm run course -- break <project> <break> (or --list); a project is level-4, 05 or its folder path');
  }
  const project = resolveProject(projects, projectName, root);
  if (list) {
    say(listText(root, project));
    return 0;
  }
  if (undo) {
    say(undoBreaks(root, project, name));
    return 0;
  }
  if (!name) {
    say(listText(root, project));
    return 0;
  }
  say(await applyBreak(root, project, name));
  return 0;
}

function exercisesCommand(projectName: string, name: string | undefined): Promise<number> {
  const project = resolveProject(discoverProjects(root), projectName, root);
  const specs = listExercises(project);
  const chosen = name === undefined ? specs : specs.filter((e) => e.name === name || e.name.split('-')[0] === name);
  if (chosen.length === 0) {
    throw new CourseError(`No exercise "${name}" in ${project.id}; choose one of: ${specs.map((e) => e.name).join(', ') || '(none)'}`);
  }
  const args = [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', project.id, ...(name === undefined ? [] : chosen.map((e) => e.rel))];
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: cleanEnv({ COURSE_EXERCISES: '1', FORCE_COLOR: undefined, NO_COLOR: undefined }) });
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

function checksums(check: boolean): number {
  if (!check) {
    const list = writeCourseFiles(root);
    say(`Wrote ${COURSE_FILES}: ${Object.keys(list.files).length} course files, ${Object.keys(list.projects).length} projects. Commit it.`);
    return 0;
  }
  const shipped = readCourseFiles(root);
  if (!shipped) {
    say(`${COURSE_FILES} does not exist; write it with: npm run course -- checksums`);
    return 1;
  }
  const t = checkCourseFiles(root, shipped);
  const current = serialize(computeCourseFiles(root)) === serialize(shipped);
  if (isClean(t) && current) {
    say(`${COURSE_FILES} is current.`);
    return 0;
  }
  say([
    `${COURSE_FILES} is out of date:`,
    ...t.changed.map((f) => `  changed: ${f}`),
    ...t.missing.map((f) => `  deleted: ${f}`),
    ...t.added.map((f) => `  added:   ${f}`),
    ...(isClean(t) ? ['  (a catalogue or teach-back template changed)'] : []),
    'If these are the course\'s own changes, regenerate it: npm run course -- checksums',
  ]);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  let usage: string | undefined;
  let code = 0;
  await yargs(argv)
    .scriptName('npm run course --')
    .command('status [projects..]', 'each project: suite, exercises, breaks caught, teach-back; and the next step', (y) =>
      y
        .positional('projects', { type: 'string', array: true, describe: 'projects to check (default: all)' })
        .option('quick', { type: 'boolean', default: false, describe: 'skip the breaks (much faster)' })
        .option('cache', { type: 'boolean', default: true, describe: 'reuse results for unchanged projects (--no-cache to rerun all)' }),
      async (a) => {
        code = await status((a.projects as string[] | undefined) ?? [], a.quick, a.cache);
      },
    )
    .command('break [project] [name]', 'apply a catalogued break (code or data) to a project; --list, --undo', (y) =>
      y
        .positional('project', { type: 'string', describe: 'level-4, 05, or the folder path' })
        .positional('name', { type: 'string', describe: 'the break (see --list)' })
        .option('list', { type: 'boolean', default: false, describe: 'list the project\'s breaks' })
        .option('undo', { type: 'boolean', default: false, describe: 'undo the break (all of the project\'s, or all, when not named)' })
        .example('$0 break level-4 --list', 'what can be broken')
        .example('$0 break level-4 not-json', 'corrupt the checkpoint')
        .example('$0 break level-4 not-json --undo', 'put back exactly what was there'),
      async (a) => {
        code = await breakCommand(a.project, a.name, a.list, a.undo);
      },
    )
    .command('exercises <project> [name]', 'run the project\'s "Alter it" specs (or one of them)', (y) =>
      y.positional('project', { type: 'string', demandOption: true }).positional('name', { type: 'string' }),
      async (a) => {
        code = await exercisesCommand(a.project, a.name);
      },
    )
    .command('checksums', `write ${COURSE_FILES}, the course files the grader checks for tampering`, (y) =>
      y.option('check', { type: 'boolean', default: false, describe: 'only check that it is current' }),
      (a) => {
        code = checksums(a.check);
      },
    )
    .demandCommand(1, 'Give a command: status, break, exercises or checksums')
    .strict()
    .help()
    .version(false)
    .wrap(100)
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      usage = msg;
    })
    .parseAsync();
  if (usage) {
    process.stderr.write(`${usage}\nRun npm run course -- --help for the commands.\n`);
    return 2;
  }
  return code;
}

try {
  process.exitCode = await main(hideBin(process.argv));
} catch (error) {
  if (error instanceof CourseError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
