// Measure where each project stands: its suite, each break against its suite, its exercise
// specs, its teach-back answers. Every run is on a scratch copy of the working tree, several at
// once. `npm run course -- status` and `npm run grade` both read these measurements.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listBreaks, listExercises } from './catalogue.ts';
import type { CourseConfig } from './config.ts';
import type { CourseFiles } from './course-files.ts';
import { applyToChangedTree, type ApplyResult } from './git-apply.ts';
import { namePattern, type Catchers } from './catchers.ts';
import { judgeAnswers, parseTeachBack, type Answer, type QuestionTemplate } from './notes.ts';
import { pool } from './processes.ts';
import type { Project } from './projects.ts';
import { makeScratch, projectScope, workingTreeFiles } from './scratch.ts';
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
}

interface BreakOutcome {
  apply: ApplyResult;
  result?: SuiteResult;
  timedOut?: boolean;
}

/** hint: only the tests that caught it last time; bail: the suite up to a failure; full: all */
type RunMode = 'hint' | 'bail' | 'full';

interface BreakJob {
  project: string;
  slot: BreakMeasure;
  mode: RunMode;
  run: (mode: RunMode) => Promise<BreakOutcome>;
  outcome?: BreakOutcome;
}

export async function measureProjects(projects: Project[], opts: MeasureOptions): Promise<ProjectMeasure[]> {
  const files = workingTreeFiles(opts.root);
  const breakJobs: BreakJob[] = [];
  const timeoutMs = opts.config.runTimeoutMinutes * 60_000;
  const tasks: Array<() => Promise<void>> = [];
  const measures: ProjectMeasure[] = [];

  for (const project of projects) {
    const catalogue = opts.courseFiles?.projects[project.id];
    const scope = projectScope([project.rel]);
    const scoped = files.filter(scope);
    const baseKey = opts.cacheDir ? contentKey(opts.root, scoped) : '';
    const cached = async <T extends { timedOut?: boolean }>(kind: string, extra: string, compute: () => Promise<T>): Promise<T> => {
      if (!opts.cacheDir) return compute();
      const key = createHash('sha256').update(`${baseKey}\n${kind}\n${extra}`).digest('hex').slice(0, 32);
      const path = join(opts.cacheDir, `${key}.json`);
      if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as T;
      const result = await compute();
      if (!result.timedOut) {
        mkdirSync(opts.cacheDir, { recursive: true });
        writeFileSync(path, JSON.stringify(result));
      }
      return result;
    };
    const inScratch = async (patch: string | undefined, run: (dir: string) => Promise<SuiteResult>): Promise<{ result?: SuiteResult; apply?: ApplyResult }> => {
      const scratch = makeScratch(opts.root, scope, scoped);
      try {
        if (patch) {
          const apply = applyToChangedTree(patch, scratch.dir);
          if (!apply.ok) return { apply };
          return { apply, result: await run(scratch.dir) };
        }
        return { result: await run(scratch.dir) };
      } finally {
        scratch.remove();
      }
    };

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

    tasks.push(async () => {
      measure.suite = await cached('suite', '', async () => (await inScratch(undefined, (dir) => runVitest({ dir, project: project.id, timeoutMs }))).result!);
      opts.progress?.(`${project.id}: suite ${isGreen(measure.suite) ? 'passes' : 'fails'} (${measure.suite.passed} passed, ${measure.suite.failed} failed)`);
    });

    // exercises: the shipped list, plus any spec present now
    const present = listExercises(project);
    const names = [...new Set([...(catalogue?.exercises ?? []), ...present.map((e) => e.name)])].sort();
    if (names.length > 0) {
      tasks.push(async () => {
        const existing = names.filter((n) => present.some((e) => e.name === n));
        const result =
          existing.length === 0
            ? undefined
            : await cached('exercises', '', async () => (await inScratch(undefined, (dir) => runVitest({ dir, project: project.id, exercises: true, timeoutMs }))).result!);
        measure.exercises = names.map((name) => exerciseOutcome(name, present.some((e) => e.name === name), result));
        opts.progress?.(`${project.id}: exercises ${measure.exercises.filter((e) => e.passed).length} of ${names.length} pass`);
      });
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
        const breakRun = (mode: RunMode) =>
          cached('break', `${mode === 'hint' ? `hint ${namePattern(hint)}` : mode}\n${patchText}`, async () => {
            const { apply, result } = await inScratch(patch.path, (dir) =>
              runVitest({
                dir,
                project: project.id,
                timeoutMs,
                ...(mode === 'hint' ? { files: [...new Set(hint.map((h) => h.file))], testNamePattern: namePattern(hint), bail: true } : {}),
                ...(mode === 'bail' ? { bail: true } : {}),
              }),
            );
            return { apply: apply!, result, timedOut: result?.timedOut };
          });
        const job: BreakJob = { project: project.id, slot, mode: hint.length ? 'hint' : 'bail', run: breakRun };
        breakJobs.push(job);
        tasks.push(async () => {
          job.outcome = await breakRun(job.mode);
        });
      }
    }
  }
  await pool(tasks, opts.config.jobs);

  // A break is caught when a test fails with it that passes without it. A run that stopped
  // short (only the hinted tests, or stopped at a test that fails anyway) and found no such
  // test is settled by a longer one.
  const settle = (job: BreakJob): RunMode | undefined => {
    const measure = measures.find((m) => m.id === job.project)!;
    const { apply, result } = job.outcome!;
    const slot = job.slot;
    slot.applied = apply.ok;
    slot.fuzzy = apply.fuzzy;
    if (!apply.ok || !result) {
      slot.applyMessage = apply.message;
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
    await pool(next.map((job) => async () => void (job.outcome = await job.run(job.mode))), opts.config.jobs);
    pending = next;
  }
  for (const job of breakJobs) {
    const s = job.slot;
    opts.progress?.(`${job.project}: break ${s.name} ${s.caught ? 'caught' : s.applied ? 'SURVIVED' : 'did not apply'}`);
  }

  return measures;
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
