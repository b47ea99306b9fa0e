// Run one project's suite (or its exercise specs) with vitest in a scratch copy, and read
// vitest's JSON report into what the grader and the patch checks need.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cleanEnv, run, type Finished } from './processes.ts';

export interface TestOutcome {
  /** file relative to the project folder, forward slashes */
  file: string;
  /** "describe › test name" */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** first line of the first failure message */
  message?: string;
}

export interface SuiteResult {
  /** vitest produced a report */
  ran: boolean;
  passed: number;
  failed: number;
  skipped: number;
  tests: TestOutcome[];
  /** files that failed to load or run (a syntax error, a missing import, a crash) */
  brokenFiles: Array<{ file: string; message: string }>;
  /** how long each file took, collection included */
  fileMs: Record<string, number>;
  timedOut: boolean;
  /** why vitest produced no report, when it did not */
  error?: string;
  ms: number;
}

export interface VitestOptions {
  /** the scratch copy's root */
  dir: string;
  /** the vitest project name: the course project's id */
  project: string;
  /** run the exercise specs (COURSE_EXERCISES=1) instead of the suite */
  exercises?: boolean;
  /** only these files, relative to the project folder */
  files?: string[];
  /** stop at the first failing test: enough to know a break is caught */
  bail?: boolean;
  /** only tests whose full name matches (vitest -t) */
  testNamePattern?: string;
  timeoutMs?: number;
}

/** Passed when at least one test ran, none failed and every file loaded. */
export function isGreen(result: SuiteResult): boolean {
  return result.ran && !result.timedOut && result.failed === 0 && result.brokenFiles.length === 0 && result.passed > 0;
}

/** Something failed: a test, a file, or the run itself. */
export function hasFailures(result: SuiteResult): boolean {
  return !result.ran || result.timedOut || result.failed > 0 || result.brokenFiles.length > 0;
}

export async function runVitest(opts: VitestOptions): Promise<SuiteResult> {
  const started = Date.now();
  const reportFile = join(opts.dir, `.vitest-report-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const projectDir = join(opts.dir, 'projects', ...opts.project.split('/'));
  const args = [
    join(opts.dir, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--project',
    opts.project,
    '--reporter=json',
    `--outputFile=${reportFile}`,
    ...(opts.bail ? ['--bail=1'] : []),
    ...(opts.testNamePattern ? [`--testNamePattern=${opts.testNamePattern}`] : []),
    ...(opts.files ?? []).map((f) => `projects/${opts.project}/${f}`),
  ];
  const finished = await run(process.execPath, args, {
    cwd: opts.dir,
    env: cleanEnv({ COURSE_EXERCISES: opts.exercises ? '1' : undefined, CI: '1' }),
    timeoutMs: opts.timeoutMs ?? 10 * 60_000,
  });
  const ms = Date.now() - started;
  const empty: SuiteResult = { ran: false, passed: 0, failed: 0, skipped: 0, tests: [], brokenFiles: [], fileMs: {}, timedOut: finished.timedOut, ms };
  if (!existsSync(reportFile)) {
    return { ...empty, error: finished.timedOut ? `vitest timed out` : noReport(finished) };
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
  rmSync(reportFile, { force: true });
  return { ...readReport(report, projectDir), timedOut: finished.timedOut, ms };
}

export interface JsonReport {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    startTime?: number;
    endTime?: number;
    assertionResults: Array<{ fullName?: string; title: string; ancestorTitles?: string[]; status: string; failureMessages?: string[] }>;
  }>;
}

export function readReport(report: JsonReport, projectDir: string): Omit<SuiteResult, 'timedOut' | 'ms'> {
  const tests: TestOutcome[] = [];
  const brokenFiles: SuiteResult['brokenFiles'] = [];
  const fileMs: Record<string, number> = {};
  for (const file of report.testResults) {
    const rel = relative(projectDir, file.name).replace(/\\/g, '/');
    if (file.startTime !== undefined && file.endTime !== undefined) fileMs[rel] = file.endTime - file.startTime;
    for (const a of file.assertionResults) {
      const status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      const name = [...(a.ancestorTitles ?? []), a.title].join(' › ');
      const message = a.failureMessages?.[0] ? firstLine(a.failureMessages[0]) : undefined;
      tests.push({ file: rel, name, status, ...(message ? { message } : {}) });
    }
    const anyFailed = file.assertionResults.some((a) => a.status === 'failed');
    if (file.status === 'failed' && !anyFailed) {
      brokenFiles.push({ file: rel, message: firstLine(file.message || 'the file failed to run') });
    }
  }
  return {
    ran: true,
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status === 'failed').length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
    tests,
    brokenFiles,
    fileMs,
  };
}

/** Why vitest wrote no report: its exit code and the last lines it printed, on one line. */
export function noReport(finished: Finished): string {
  const tail = stripAnsi((finished.stderr + finished.stdout).trim()).split('\n').slice(-6).join(' | ');
  return `vitest exited ${finished.code} without a report: ${tail}`;
}

export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function firstLine(text: string): string {
  const line = stripAnsi(text).split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** "tests/lock.test.ts › refuses a second run" for the failures of a run. */
export function failureNames(result: SuiteResult): string[] {
  return [
    ...result.brokenFiles.map((f) => `${f.file} (did not run: ${f.message})`),
    ...result.tests.filter((t) => t.status === 'failed').map((t) => `${t.file} › ${t.name}`),
  ];
}
