// Many test runs in one vitest process. Each run is a vitest project rooted at its own scratch
// copy (a suite, the exercise specs, or the hinted tests with one break in), so vitest starts
// once instead of once per run, and spreads the files of all the runs over its workers.
// Starting vitest costs about as much as running one break's hinted test, so this halves the
// grader's work. The grader's first pass goes this way (tools/lib/measure.ts); when the shared
// run gives no report (it hung, or vitest itself failed) each run goes again on its own.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, run } from './processes.ts';
import { makeScratch } from './scratch.ts';
import { noReport, readReport, type JsonReport, type SuiteResult } from './vitest-run.ts';

/** One run of a batch. Runs start in the order given: put the long ones first. */
export interface BatchRun {
  /** unique in the batch: its result's key */
  name: string;
  /** the scratch copy's root, as makeScratch gives it */
  dir: string;
  /** the course project's id (its folder under projects/) */
  project: string;
  /** the exercise specs instead of the suite */
  exercises?: boolean;
  /** only these files, relative to the project folder */
  files?: string[];
  /** only tests whose full name matches */
  testNamePattern?: string;
}

export interface BatchOptions {
  /** the repository: its root files (vitest.config.ts, package.json) hold the batch */
  root: string;
  /** the working tree's files, as workingTreeFiles gives them */
  files: string[];
  /** vitest workers: test files at once */
  workers: number;
  timeoutMs: number;
}

export type BatchResult = { ok: true; results: Map<string, SuiteResult>; ms: number } | { ok: false; error: string; ms: number };

/** Forward slashes, as vitest names files (a scratch folder is a real path already). */
const canonical = (path: string) => path.replace(/\\/g, '/');

/**
 * The config of a shared run. It takes the test options (time limits and the like) and the
 * file patterns of a suite and of the exercise specs from the course's own vitest.config.ts,
 * so a run here finds the same files as `vitest run --project <id>` does.
 */
export function batchConfig(runs: BatchRun[]): string {
  // vitest starts the projects in the order of their names: number them to keep the given order
  const projects = runs.map((r, i) => ({
    name: `${String(i + 1).padStart(3, '0')} ${r.name}`,
    root: canonical(r.dir),
    files: r.files?.map((f) => `projects/${r.project}/${f}`),
    folder: `projects/${r.project}`,
    exercises: r.exercises === true,
    testNamePattern: r.testNamePattern,
  }));
  return `// Written by the grader (tools/lib/vitest-batch.ts): one vitest project per run.
import base, { EXERCISE_FILES, SUITE_FILES } from './vitest.config.ts';

const runs = ${JSON.stringify(projects, null, 2)};

const { projects: _projects, coverage: _coverage, ...test } = base.test ?? {};

export default {
  ...base,
  test: {
    ...test,
    projects: runs.map((r) => ({
      extends: true,
      test: {
        name: r.name,
        root: r.root,
        include: r.files ?? [\`\${r.folder}/\${r.exercises ? EXERCISE_FILES : SUITE_FILES}\`],
        ...(r.testNamePattern ? { testNamePattern: r.testNamePattern } : {}),
      },
    })),
  },
};
`;
}

/** Split one report between the runs, by the scratch copy each file is in. */
export function splitReport(report: JsonReport, runs: BatchRun[], ms: number): Map<string, SuiteResult> {
  const folders = runs.map((r) => ({ run: r, folder: `${canonical(r.dir)}/projects/${r.project}` }));
  const results = new Map<string, SuiteResult>();
  for (const { run: r, folder } of folders) {
    const testResults = report.testResults.filter((file) => file.name.replace(/\\/g, '/').startsWith(`${folder}/`));
    results.set(r.name, { ...readReport({ testResults }, folder), timedOut: false, ms });
  }
  return results;
}

export async function runVitestBatch(runs: BatchRun[], opts: BatchOptions): Promise<BatchResult> {
  const started = Date.now();
  // the batch's own folder: the root files (vitest.config.ts, package.json) and no project
  const batch = makeScratch(opts.root, (rel) => !rel.includes('/'), opts.files);
  try {
    mkdirSync(join(batch.dir, 'projects'), { recursive: true });
    writeFileSync(join(batch.dir, 'vitest.grade.config.ts'), batchConfig(runs));
    const reportFile = join(batch.dir, 'report.json');
    const finished = await run(
      process.execPath,
      [
        join(batch.dir, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        'vitest.grade.config.ts',
        '--reporter=json',
        `--outputFile=${reportFile}`,
        `--maxWorkers=${opts.workers}`,
      ],
      { cwd: batch.dir, env: cleanEnv({ CI: '1' }), timeoutMs: opts.timeoutMs },
    );
    const ms = Date.now() - started;
    if (finished.timedOut) {
      const limit = opts.timeoutMs < 60_000 ? `${Math.ceil(opts.timeoutMs / 1000)} s` : `${Math.round(opts.timeoutMs / 60_000)} min`;
      return { ok: false, error: `the shared vitest run took longer than ${limit}`, ms };
    }
    if (!existsSync(reportFile)) return { ok: false, error: noReport(finished), ms };
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
    return { ok: true, results: splitReport(report, runs, ms), ms };
  } finally {
    batch.remove();
  }
}
