// npm run check:breaks [-- <project>...]: keep each project's catalogue honest, on scratch
// copies of the working tree, several at once:
//   - every break in breaks/ is caught: with it applied, the project's suite fails (and which
//     tests caught it is printed);
//   - every exercise spec fails on the baseline, and every solution patch makes its spec and the
//     project's suite pass; all solutions together apply and pass too, and every break still
//     applies on top of them (what a learner who did every exercise is graded on);
//   - every data break in project.json does what it documents: the run command exits with
//     `expect.code`, its stderr contains `expect.message`, and --undo restores the data folder.
// The last line reads "patches: N passed, M failed"; the exit code is 1 when anything failed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { applyBreak, dataScopes, runTool, undoBreaks } from './lib/breaks.ts';
import { listBreaks, listExercises, listSolutions, type Patch } from './lib/catalogue.ts';
import { CATCHERS_FILE, pickCatchers, writeCatchers, type Catcher } from './lib/catchers.ts';
import { loadConfig } from './lib/config.ts';
import { applyPatch, applyPatchesTogether } from './lib/git-apply.ts';
import { pool } from './lib/processes.ts';
import { CourseError, REPO_ROOT, discoverProjects, selectProjects, type Project } from './lib/projects.ts';
import { makeGitScratch, makeScratch, projectScope, workingTreeFiles, type Scratch } from './lib/scratch.ts';
import { failureNames, isGreen, runVitest, type SuiteResult } from './lib/vitest-run.ts';

interface Check {
  project: string;
  what: string;
  ok: boolean;
  detail: string;
}

const root = REPO_ROOT;
let timeoutMs = 10 * 60_000;

/** the quickest tests that caught each break, for tools/break-catchers.json */
const found: Record<string, Record<string, Catcher[]>> = {};

/** the working tree's files, listed once */
let files: string[] = [];

function withScratch<T>(project: Project, fn: (scratch: Scratch, copy: Project) => Promise<T>, git = false): Promise<T> {
  const scope = projectScope([project.rel]);
  // a git repository when patches are merged against the baseline it commits
  const scratch = git ? makeGitScratch(root, scope, files) : makeScratch(root, scope, files);
  const copy = discoverProjects(scratch.dir).find((p) => p.id === project.id)!;
  return fn(scratch, copy).finally(() => scratch.remove());
}

const summarize = (r: SuiteResult) =>
  r.ran ? `${r.passed} passed, ${r.failed} failed${r.brokenFiles.length ? `, ${r.brokenFiles.length} files did not run` : ''}` : r.timedOut ? 'timed out' : `did not run (${r.error})`;

function applyAll(scratch: Scratch, patches: Patch[]): string | undefined {
  for (const patch of patches) {
    const applied = applyPatch(join(scratch.dir, patch.rel), { cwd: scratch.dir, scratch: true });
    if (!applied.ok) return `${patch.rel} does not apply: ${applied.message}`;
  }
  return undefined;
}

function catalogueChecks(project: Project): Check[] {
  const checks: Check[] = [];
  const add = (what: string, ok: boolean, detail: string) => checks.push({ project: project.id, what, ok, detail });
  const exercises = listExercises(project).map((e) => e.name);
  const solutions = listSolutions(project);
  for (const name of exercises) {
    add(`exercise ${name} has a solution`, solutions.some((s) => s.name === name), `solutions/${name}.patch`);
  }
  for (const s of solutions) {
    if (!exercises.includes(s.name)) add(`solution ${s.name} has an exercise`, false, `no exercises/${s.name}.spec.ts`);
    if (!/^Solution:\s*\S/.test(s.description)) add(`solution ${s.name} is described`, false, 'its first line must read "Solution: <what it does>"');
  }
  for (const b of listBreaks(project)) {
    if (!/^Break:\s*\S/.test(b.description)) add(`break ${b.name} is described`, false, 'its first line must read "Break: <what is wrong>"');
    if (b.files.length === 0) add(`break ${b.name} changes something`, false, 'no `diff --git` section');
  }
  for (const d of project.manifest.dataBreaks ?? []) {
    const valid = typeof d.name === 'string' && typeof d.description === 'string' && typeof d.expect?.code === 'number' && typeof d.expect?.message === 'string';
    if (!valid) add(`data break ${d.name ?? '(no name)'} is complete`, false, 'needs name, description and expect {code, message}');
  }
  return checks;
}

function tasksFor(project: Project, record: (c: Check) => void): Array<() => Promise<void>> {
  const tasks: Array<() => Promise<void>> = [];
  const add = (what: string, ok: boolean, detail: string) => record({ project: project.id, what, ok, detail });
  const exercises = listExercises(project);
  const solutions = listSolutions(project);
  const breaks = listBreaks(project);

  for (const b of breaks) {
    tasks.push(() =>
      withScratch(project, async (scratch) => {
        const applied = applyPatch(join(scratch.dir, b.rel), { cwd: scratch.dir, scratch: true });
        if (!applied.ok) return add(`break ${b.name} applies`, false, applied.message);
        const result = await runVitest({ dir: scratch.dir, project: project.id, timeoutMs });
        const caughtBy = failureNames(result);
        const caught = !result.ran || result.timedOut || caughtBy.length > 0;
        if (caughtBy.length > 0) ((found[project.id] ??= {})[b.name] = pickCatchers(result));
        add(
          `break ${b.name} is caught`,
          caught,
          caught
            ? result.ran
              ? `${caughtBy.length} failing: ${caughtBy.slice(0, 4).join('; ')}${caughtBy.length > 4 ? '; ...' : ''}`
              : summarize(result)
            : `NOT caught: every test passed (${summarize(result)})`,
        );
      }),
    );
  }

  if (exercises.length > 0) {
    tasks.push(() =>
      withScratch(project, async (scratch) => {
        const result = await runVitest({ dir: scratch.dir, project: project.id, exercises: true, timeoutMs });
        for (const e of exercises) {
          const failing = result.tests.some((t) => t.file === e.local && t.status === 'failed') || result.brokenFiles.some((f) => f.file === e.local);
          const count = result.tests.filter((t) => t.file === e.local).length;
          add(`exercise ${e.name} fails on the baseline`, !result.ran || failing, failing ? `${count} tests, some fail` : result.ran ? `all ${count} tests pass on the baseline: the spec checks nothing new` : summarize(result));
        }
      }),
    );
  }

  for (const s of solutions) {
    const spec = exercises.find((e) => e.name === s.name);
    tasks.push(() =>
      withScratch(project, async (scratch) => {
        const failed = applyAll(scratch, [s]);
        if (failed) return add(`solution ${s.name} applies`, false, failed);
        const suite = await runVitest({ dir: scratch.dir, project: project.id, timeoutMs });
        const specRun = spec ? await runVitest({ dir: scratch.dir, project: project.id, exercises: true, files: [spec.local], timeoutMs }) : undefined;
        const ok = isGreen(suite) && (specRun ? isGreen(specRun) : false);
        add(
          `solution ${s.name} passes its spec and the suite`,
          ok,
          `suite: ${summarize(suite)}; spec: ${specRun ? summarize(specRun) : 'none'}${ok ? '' : ` ${[...failureNames(suite), ...(specRun ? failureNames(specRun) : [])].slice(0, 4).join('; ')}`}`,
        );
      }),
    );
  }

  if (solutions.length > 1) {
    tasks.push(() =>
      withScratch(project, async (scratch) => {
        const together = applyPatchesTogether(scratch.dir, solutions.map((s) => join(scratch.dir, s.rel)));
        if (!together.ok) return add('all solutions apply together', false, together.message);
        const suite = await runVitest({ dir: scratch.dir, project: project.id, timeoutMs });
        const specs = await runVitest({ dir: scratch.dir, project: project.id, exercises: true, timeoutMs });
        const ok = isGreen(suite) && isGreen(specs);
        add('all solutions together pass the suite and every spec', ok, `suite: ${summarize(suite)}; specs: ${summarize(specs)}${ok ? '' : ` ${[...failureNames(suite), ...failureNames(specs)].slice(0, 4).join('; ')}`}`);
        // each break onto that tree, as the grader puts it onto a learner's code
        for (const b of breaks) {
          const check = applyPatch(join(scratch.dir, b.rel), { cwd: scratch.dir, scratch: true, check: true, allowFuzz: true });
          add(`break ${b.name} applies on top of all solutions`, check.ok, check.ok ? (check.fuzzy ? 'with one line of context (-C1)' : 'cleanly') : check.message);
        }
      }, true),
    );
  }

  const dataBreaks = project.manifest.dataBreaks ?? [];
  if (dataBreaks.length > 0) {
    tasks.push(() =>
      withScratch(project, async (scratch, copy) => {
        for (const d of dataBreaks) {
          const before = snapshotOf(copy);
          try {
            await applyBreak(scratch.dir, copy, d.name);
            const result = await runTool(copy, copy.manifest.run);
            const ok = result.code === d.expect.code && result.stderr.includes(d.expect.message);
            const firstError = result.stderr.trim().split('\n').find((l) => l.includes(d.expect.message)) ?? result.stderr.trim().split('\n').at(-1) ?? '';
            add(`data break ${d.name} exits ${d.expect.code} with "${d.expect.message}"`, ok, `exit ${result.code}: ${firstError.slice(0, 160)}`);
            undoBreaks(scratch.dir, copy, d.name);
            const after = snapshotOf(copy);
            add(`data break ${d.name} --undo restores the data`, after === before, after === before ? 'identical' : 'the data folder differs after --undo');
          } catch (error) {
            add(`data break ${d.name} applies`, false, (error as Error).message);
          }
        }
      }),
    );
  }
  return tasks;
}

/** The project's data folders as a string: every file with its content. */
function snapshotOf(project: Project): string {
  const list = (full: string, rel: string): string[] => {
    if (!existsSync(full)) return [];
    if (!statSync(full).isDirectory()) return [rel];
    return readdirSync(full).flatMap((name) => list(join(full, name), `${rel}/${name}`));
  };
  const files = dataScopes(project).flatMap((top) => list(join(project.dir, top), top)).sort();
  return files.map((f) => `${f}\n${readFileSync(join(project.dir, f), 'base64')}`).join('\n');
}

async function main(argv: string[]): Promise<number> {
  let usage: string | undefined;
  const args = await yargs(argv)
    .scriptName('npm run check:breaks --')
    .command('$0 [projects..]', 'Check every break, exercise, solution and data break (or those of the projects named).', (y) =>
      y.positional('projects', { type: 'string', array: true, describe: 'level-4, 05, or the folder path (default: all)' }),
    )
    .option('jobs', { type: 'number', describe: 'scratch copies at once (default: course.config.json)' })
    .option('write-catchers', { type: 'boolean', default: false, describe: `record which tests caught each break in ${CATCHERS_FILE} (the grader runs those first)` })
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      usage = msg || err?.message;
    })
    .parseAsync();
  if (usage) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  if (args.help) return 0;
  const config = loadConfig(root);
  timeoutMs = config.runTimeoutMinutes * 60_000;
  const jobs = args.jobs ?? config.jobs;
  const projects = selectProjects(((args.projects as string[] | undefined) ?? []).map(String), root);
  if (projects.length === 0) {
    process.stderr.write('No projects found (projects/level-N/NN-slug/project.json).\n');
    return 2;
  }
  files = workingTreeFiles(root);
  const started = Date.now();
  const checks: Check[] = [];
  const record = (c: Check) => {
    checks.push(c);
    process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.project}: ${c.what}${c.detail ? ` (${c.detail})` : ''}\n`);
  };
  for (const p of projects) for (const c of catalogueChecks(p)) record(c);
  await pool(projects.flatMap((p) => tasksFor(p, record)), jobs);
  const failed = checks.filter((c) => !c.ok);
  if (args.writeCatchers) {
    writeCatchers(root, found);
    process.stdout.write(`\nWrote ${CATCHERS_FILE} for ${Object.keys(found).length} projects: commit it.\n`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  if (failed.length > 0) {
    process.stdout.write(`\nFailed:\n${failed.map((c) => `  ${c.project}: ${c.what} (${c.detail})`).join('\n')}\n`);
  }
  process.stdout.write(`\n${projects.length} project${projects.length === 1 ? '' : 's'}, ${seconds} s\npatches: ${checks.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main(hideBin(process.argv));
} catch (error) {
  process.stderr.write(`${error instanceof CourseError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  process.exitCode = error instanceof CourseError ? error.exitCode : 1;
}
