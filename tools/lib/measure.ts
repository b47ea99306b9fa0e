// Measure where each project stands: its suite, each break against its suite, its exercise
// specs, its teach-back answers. Every run is on a scratch copy of the working tree; the first
// pass (every suite, every exercise run, every break's hinted tests) is one vitest process,
// and what it leaves unsettled runs alone. `npm run course -- status` and `npm run grade` both
// read these measurements.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listBreaks, listExercises } from './catalogue.ts';
import type { CourseConfig } from './config.ts';
import type { CourseFiles } from './course-files.ts';
import { applyToChangedTree, type ApplyResult } from './git-apply.ts';
import { namePattern, type Catchers } from './catchers.ts';
import { judgeAnswers, parseTeachBack, type Answer, type QuestionTemplate } from './notes.ts';
import { pool } from './processes.ts';
import type { Project } from './projects.ts';
import { makeScratch, projectScope, workingTreeFiles, type Scratch } from './scratch.ts';
import { runVitestBatch } from './vitest-batch.ts';
import { failureNames, isGreen, runVitest, type SuiteResult } from './vitest-run.ts';

export interface BreakMeasure {
  name: string;
  title: string;
  /** the patch went onto the learner's code */
  applied: boolean;
  /** it needed reduced context (the code around it changed) */
  fuzzy: boolean;
  /** why it did not apply */
  applyMessage?: string;
  caught: boolean;
  /** the tests that failed with the break in (the first one, when the run stopped at it) */
  caughtBy: string[];
  result?: SuiteResult;
}

export interface ExerciseMeasure {
  name: string;
  file: string;
  present: boolean;
  passed: boolean;
  tests: number;
  failures: string[];
}

export interface ProjectMeasure {
  id: string;
  title: string;
  level: number;
  suite: SuiteResult;
  breaks: BreakMeasure[];
  exercises: ExerciseMeasure[];
  answers: Answer[];
}

export interface MeasureOptions {
  root: string;
  config: CourseConfig;
  /** the course's shipped catalogue, so a deleted break or spec still counts */
  courseFiles?: CourseFiles;
  /** skip the break runs (a quick status) */
  skipBreaks?: boolean;
  /** keep results by content hash here and reuse them (status does, the grader does not) */
  cacheDir?: string;
  /** which tests caught each break last time: run those first */
  catchers?: Catchers;
  /** one line per finished run, for progress on stderr */
  progress?: (line: string) => void;
  /** how a shared run is made (a test hands in one that fails, to see each run go alone) */
  runBatch?: typeof runVitestBatch;
}

/** What one run gave: the patch's fate, when it had one, and vitest's result. */
interface Outcome {
  apply?: ApplyResult;
  result?: SuiteResult;
  timedOut?: boolean;
}

/** One vitest run on its own scratch copy: a suite, the exercise specs, or a break's. */
interface RunSpec {
  /** unique in a shared run: "<project> suite", "<project> break <name> (hint)" */
  name: string;
  project: Project;
  /** the break to apply first */
  patch?: string;
  exercises?: boolean;
  files?: string[];
  testNamePattern?: string;
  /** stop at the first failing test: only on a run of its own */
  bail?: boolean;
  /** where the outcome is kept between status runs (by content), when a cache is in use */
  cacheFile?: string;
}

/** hint: only the tests that caught it last time; bail: the suite up to a failure; full: all */
type RunMode = 'hint' | 'bail' | 'full';

interface BreakJob {
  project: string;
  slot: BreakMeasure;
  mode: RunMode;
  spec: (mode: RunMode) => RunSpec;
  outcome?: Outcome;
}

export async function measureProjects(projects: Project[], opts: MeasureOptions): Promise<ProjectMeasure[]> {
  const files = workingTreeFiles(opts.root);
  const timeoutMs = opts.config.runTimeoutMinutes * 60_000;
  const measures: ProjectMeasure[] = [];
  const breakJobs: BreakJob[] = [];
  // the first pass: every suite, every exercise run and every hinted break, in one vitest run
  const firstPass: Array<{ spec: RunSpec; use: (outcome: Outcome) => void }> = [];
  // breaks with no hint need a suite stopped at its first failure, which only a run of its own can do
  const alonePass: Array<{ spec: RunSpec; use: (outcome: Outcome) => void }> = [];

  for (const project of projects) {
    const catalogue = opts.courseFiles?.projects[project.id];
    const scoped = files.filter(projectScope([project.rel]));
    const baseKey = opts.cacheDir ? contentKey(opts.root, scoped) : '';
    // a cached outcome is keyed by the project's files and what the run was asked to do
    const cacheFile = (what: string) =>
      opts.cacheDir ? join(opts.cacheDir, `${createHash('sha256').update(`${CACHE_VERSION}\n${baseKey}\n${what}`).digest('hex').slice(0, 32)}.json`) : undefined;

    const measure: ProjectMeasure = {
      id: project.id,
      title: project.manifest.title,
      level: project.manifest.level,
      suite: emptyResult(),
      breaks: [],
      exercises: [],
      answers: judgeNotes(project, catalogue?.questions, opts.config.teachBack.minWords),
    };
    measures.push(measure);

    firstPass.push({
      spec: { name: `${project.id} suite`, project, cacheFile: cacheFile('suite') },
      use: (outcome) => {
        measure.suite = outcome.result ?? emptyResult();
        opts.progress?.(`${project.id}: suite ${isGreen(measure.suite) ? 'passes' : 'fails'} (${measure.suite.passed} passed, ${measure.suite.failed} failed)`);
      },
    });

    // exercises: the shipped list, plus any spec present now
    const present = listExercises(project);
    const names = [...new Set([...(catalogue?.exercises ?? []), ...present.map((e) => e.name)])].sort();
    const exercisesDone = (result: SuiteResult | undefined) => {
      measure.exercises = names.map((name) => exerciseOutcome(name, present.some((e) => e.name === name), result));
      opts.progress?.(`${project.id}: exercises ${measure.exercises.filter((e) => e.passed).length} of ${names.length} pass`);
    };
    if (present.length > 0) {
      firstPass.push({
        spec: { name: `${project.id} exercises`, project, exercises: true, cacheFile: cacheFile('exercises') },
        use: (outcome) => exercisesDone(outcome.result),
      });
    } else if (names.length > 0) {
      exercisesDone(undefined);
    }

    if (!opts.skipBreaks) {
      const breaks = listBreaks(project);
      const breakNames = [...new Set([...(catalogue?.breaks ?? []), ...breaks.map((b) => b.name)])].sort();
      for (const name of breakNames) {
        const patch = breaks.find((b) => b.name === name);
        const slot: BreakMeasure = { name, title: patch?.title ?? '', applied: false, fuzzy: false, caught: false, caughtBy: [] };
        measure.breaks.push(slot);
        if (!patch) {
          slot.applyMessage = `breaks/${name}.patch is missing (a course file was deleted)`;
          continue;
        }
        const patchText = readFileSync(patch.path, 'utf8');
        const hint = opts.catchers?.projects[project.id]?.[name]?.filter((c) => scoped.includes(`${project.rel}/${c.file}`)) ?? [];
        // a run with the break in: the hinted tests, the suite up to its first failure, or all of it
        const spec = (mode: RunMode): RunSpec => ({
          name: `${project.id} break ${name} (${mode})`,
          project,
          patch: patch.path,
          cacheFile: cacheFile(`break\n${mode === 'hint' ? `hint ${namePattern(hint)}` : mode}\n${patchText}`),
          ...(mode === 'hint' ? { files: [...new Set(hint.map((h) => h.file))], testNamePattern: namePattern(hint) } : {}),
          ...(mode === 'bail' ? { bail: true } : {}),
        });
        const job: BreakJob = { project: project.id, slot, mode: hint.length ? 'hint' : 'bail', spec };
        breakJobs.push(job);
        (job.mode === 'hint' ? firstPass : alonePass).push({ spec: spec(job.mode), use: (outcome) => void (job.outcome = outcome) });
      }
    }
  }

  const runs: Runs = { root: opts.root, files, jobs: opts.config.jobs, timeoutMs, progress: opts.progress, runBatch: opts.runBatch ?? runVitestBatch };
  // the suites first, the long runs, then the short ones to fill the workers at the end
  const rank = (spec: RunSpec) => (spec.patch ? 2 : spec.exercises ? 1 : 0);
  firstPass.sort((a, b) => rank(a.spec) - rank(b.spec));
  const first = await runSpecs(firstPass.map((r) => r.spec), runs, true);
  firstPass.forEach((r, i) => r.use(first[i]!));
  const alone = await runSpecs(alonePass.map((r) => r.spec), runs, false);
  alonePass.forEach((r, i) => r.use(alone[i]!));

  // A break is caught when a test fails with it that passes without it. A run that stopped
  // short (only the hinted tests, or stopped at a test that fails anyway) and found no such
  // test is settled by a longer one.
  const settle = (job: BreakJob): RunMode | undefined => {
    const measure = measures.find((m) => m.id === job.project)!;
    const { apply, result } = job.outcome!;
    const slot = job.slot;
    slot.applied = apply?.ok ?? false;
    slot.fuzzy = apply?.fuzzy ?? false;
    if (!apply?.ok || !result) {
      slot.applyMessage = apply?.message;
      return undefined;
    }
    const before = new Set(failureNames(measure.suite));
    const failures = failureNames(result);
    slot.result = result;
    slot.caughtBy = result.timedOut
      ? ['(the suite timed out)']
      : result.ran
        ? failures.filter((f) => !before.has(f))
        : [`(the suite did not run: ${result.error ?? 'no report'})`];
    slot.caught = slot.caughtBy.length > 0;
    if (slot.caught || job.mode === 'full') return undefined;
    if (job.mode === 'hint') return isGreen(measure.suite) ? 'bail' : 'full';
    return failures.length > 0 ? 'full' : undefined;
  };
  let pending = breakJobs;
  while (pending.length > 0) {
    const next = pending.flatMap((job) => {
      const mode = settle(job);
      if (!mode) return [];
      job.mode = mode;
      return [job];
    });
    const outcomes = await runSpecs(next.map((job) => job.spec(job.mode)), runs, false);
    next.forEach((job, i) => (job.outcome = outcomes[i]));
    pending = next;
  }
  for (const job of breakJobs) {
    const s = job.slot;
    opts.progress?.(`${job.project}: break ${s.name} ${s.caught ? 'caught' : s.applied ? 'SURVIVED' : 'did not apply'}`);
  }

  return measures;
}

/** Bump when the shape of a cached outcome changes, so an old cache is not misread. */
const CACHE_VERSION = 2;

interface Runs {
  root: string;
  files: string[];
  jobs: number;
  timeoutMs: number;
  progress?: (line: string) => void;
  runBatch: typeof runVitestBatch;
}

/**
 * Run each spec on a scratch copy of its own (with its break applied), all in one vitest
 * process when `together`, else `jobs` vitest processes at a time. Outcomes come back in the
 * order of the specs; a cached one is used as it is.
 */
async function runSpecs(specs: RunSpec[], runs: Runs, together: boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = specs.map((spec) => (spec.cacheFile && existsSync(spec.cacheFile) ? (JSON.parse(readFileSync(spec.cacheFile, 'utf8')) as Outcome) : {}));
  const ready: Array<{ index: number; spec: RunSpec; scratch: Scratch; apply?: ApplyResult }> = [];
  try {
    specs.forEach((spec, index) => {
      if (outcomes[index]!.result || outcomes[index]!.apply) return;
      const scratch = makeScratch(runs.root, projectScope([spec.project.rel]), runs.files);
      const apply = spec.patch ? applyToChangedTree(spec.patch, scratch.dir) : undefined;
      if (apply && !apply.ok) {
        outcomes[index] = { apply };
        scratch.remove();
        return;
      }
      ready.push({ index, spec, scratch, ...(apply ? { apply } : {}) });
    });

    let alone = ready;
    if (together && ready.length > 0) {
      const batch = await runs.runBatch(
        ready.map(({ spec, scratch }) => ({ name: spec.name, dir: scratch.dir, project: spec.project.id, exercises: spec.exercises, files: spec.files, testNamePattern: spec.testNamePattern })),
        { root: runs.root, files: runs.files, workers: runs.jobs, timeoutMs: runs.timeoutMs },
      );
      if (batch.ok) {
        runs.progress?.(`${ready.length} runs in one vitest process took ${Math.round(batch.ms / 1000)} s`);
        for (const r of ready) outcomes[r.index] = { ...(r.apply ? { apply: r.apply } : {}), result: batch.results.get(r.spec.name)! };
        alone = [];
      } else {
        runs.progress?.(`the shared vitest run gave no result (${batch.error}): running each on its own`);
      }
    }
    await pool(
      alone.map((r) => async () => {
        const result = await runVitest({
          dir: r.scratch.dir,
          project: r.spec.project.id,
          timeoutMs: runs.timeoutMs,
          exercises: r.spec.exercises,
          files: r.spec.files,
          testNamePattern: r.spec.testNamePattern,
          bail: r.spec.bail,
        });
        outcomes[r.index] = { ...(r.apply ? { apply: r.apply } : {}), result, timedOut: result.timedOut };
      }),
      runs.jobs,
    );
  } finally {
    for (const r of ready) r.scratch.remove();
  }
  for (const r of ready) {
    const outcome = outcomes[r.index]!;
    if (r.spec.cacheFile && !outcome.timedOut) {
      mkdirSync(dirname(r.spec.cacheFile), { recursive: true });
      writeFileSync(r.spec.cacheFile, JSON.stringify(outcome));
    }
  }
  return outcomes;
}

function emptyResult(): SuiteResult {
  return { ran: false, passed: 0, failed: 0, skipped: 0, tests: [], brokenFiles: [], fileMs: {}, timedOut: false, ms: 0 };
}

function exerciseOutcome(name: string, present: boolean, result: SuiteResult | undefined): ExerciseMeasure {
  const file = `exercises/${name}.spec.ts`;
  if (!present) return { name, file, present, passed: false, tests: 0, failures: [`${file} is missing (a course file was deleted)`] };
  if (!result || !result.ran) {
    return { name, file, present, passed: false, tests: 0, failures: [result?.timedOut ? 'the exercise run timed out' : `the exercise run failed: ${result?.error ?? 'no report'}`] };
  }
  const tests = result.tests.filter((t) => t.file === file);
  const broken = result.brokenFiles.filter((f) => f.file === file);
  const failures = [
    ...broken.map((f) => `${file} did not run: ${f.message}`),
    ...tests.filter((t) => t.status === 'failed').map((t) => `${t.name}${t.message ? `: ${t.message}` : ''}`),
  ];
  const passedCount = tests.filter((t) => t.status === 'passed').length;
  if (failures.length === 0 && passedCount === 0) failures.push(`${file} ran no test`);
  return { name, file, present, passed: failures.length === 0, tests: tests.length, failures };
}

function judgeNotes(project: Project, template: QuestionTemplate[] | undefined, minWords: number): Answer[] {
  const path = join(project.dir, 'notes.md');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  // without the shipped template (a level newer than the checksum list) the questions are the
  // ones in notes.md, and a placeholder is a line that asks to be replaced
  const questions =
    template ??
    parseTeachBack(text).map((q) => ({ heading: q.heading, placeholder: q.body.split('\n').filter((l) => /replace this line/i.test(l)).join('\n') }));
  return judgeAnswers(text, questions, minWords);
}

function contentKey(root: string, files: string[]): string {
  const hash = createHash('sha256');
  for (const rel of files) {
    hash.update(rel);
    hash.update('\0');
    hash.update(readFileSync(join(root, rel)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
