// Which tests caught each break when the course last checked it (tools/break-catchers.json,
// written by `npm run check:breaks -- --write-catchers`). The grader runs those tests first, so
// a break is usually known caught in seconds instead of a whole suite. It is only a hint: a
// break counts as caught only when a test of the learner's suite really fails, and when the
// hinted tests do not fail (deleted, changed, or a stale hint) the whole suite runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuiteResult } from './vitest-run.ts';

export const CATCHERS_FILE = 'tools/break-catchers.json';

export interface Catcher {
  /** test file, relative to the project folder */
  file: string;
  /** the test's title (the last part of its name) */
  test: string;
}

export interface Catchers {
  $comment: string;
  version: 1;
  /** project id -> break name -> the quickest tests that caught it */
  projects: Record<string, Record<string, Catcher[]>>;
}

export function readCatchers(root: string): Catchers | undefined {
  const path = join(root, CATCHERS_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Catchers;
  } catch {
    return undefined;
  }
}

export function writeCatchers(root: string, found: Record<string, Record<string, Catcher[]>>): void {
  const previous = readCatchers(root)?.projects ?? {};
  const projects = { ...previous, ...found };
  const sorted = Object.fromEntries(Object.keys(projects).sort().map((k) => [k, projects[k]!]));
  const file: Catchers = {
    $comment: 'Written by `npm run check:breaks -- --write-catchers`: a hint for the grader of which tests to run first for each break. Stale entries only cost time.',
    version: 1,
    projects: sorted,
  };
  writeFileSync(join(root, CATCHERS_FILE), `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * The failing test of a break run from the quickest file: one is enough, since the whole
 * suite runs when it no longer fails, and a slow file would cost what the hint saves.
 */
export function pickCatchers(result: SuiteResult): Catcher[] {
  const failing = result.tests.filter((t) => t.status === 'failed');
  const byCost = [...failing].sort((a, b) => (result.fileMs[a.file] ?? Infinity) - (result.fileMs[b.file] ?? Infinity));
  return byCost.slice(0, 1).map((t) => ({ file: t.file, test: t.name.split(' › ').at(-1)! }));
}

/** A vitest -t pattern for the hinted tests; numbers are wildcards (titles count crash states). */
export function namePattern(catchers: Catcher[]): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+');
  return catchers.map((c) => escape(c.test)).join('|');
}
