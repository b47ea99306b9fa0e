// The grader's first pass runs every suite, exercise run and hinted break in one vitest process
// (tools/lib/vitest-batch.ts). These specs grade a one-file course in a temp folder, so they
// are quick, and check that sharing the process changes nothing a run would find on its own.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Catchers } from '../tools/lib/catchers.ts';
import { DEFAULT_CONFIG } from '../tools/lib/config.ts';
import { measureProjects, type ProjectMeasure } from '../tools/lib/measure.ts';
import { discoverProjects, REPO_ROOT } from '../tools/lib/projects.ts';
import { makeScratch, workingTreeFiles } from '../tools/lib/scratch.ts';
import { runVitestBatch } from '../tools/lib/vitest-batch.ts';

const ID = 'level-9/99-tiny';
const SRC = `projects/${ID}/src/add.ts`;
const ADD = 'export const add = (a: number, b: number): number => a + b;';

const breakPatch = (title: string, hunk: string) =>
  `Break: ${title}\n\n${title}.\n\ndiff --git a/${SRC} b/${SRC}\n--- a/${SRC}\n+++ b/${SRC}\n${hunk}`;

/** A course of one project: two tests, one exercise spec, a break they catch and one they miss. */
function tinyCourse(): string {
  const root = mkdtempSync(join(tmpdir(), 'crash-course-tiny-'));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  // the course's own vitest config and package.json: the batch takes its options from them
  for (const file of ['vitest.config.ts', 'package.json']) copyFileSync(join(REPO_ROOT, file), join(root, file));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'junction');
  const p = `projects/${ID}`;
  write(`${p}/project.json`, JSON.stringify({ id: ID, title: 'Tiny', level: 9, focus: 'a test of the grader', run: [], artifacts: [], checkpoint: 'data/c.json' }));
  write(SRC, `${ADD}\n`);
  write(
    `${p}/tests/add.test.ts`,
    `import { expect, it } from 'vitest';\nimport { add } from '../src/add.ts';\nit('adds two numbers', () => expect(add(1, 2)).toBe(3));\nit('keeps a number plus zero the same', () => expect(add(2, 0)).toBe(2));\n`,
  );
  write(`${p}/exercises/01-double.spec.ts`, `import { expect, it } from 'vitest';\nimport { add } from '../src/add.ts';\nit('doubles', () => expect(add(2, 2)).toBe(4));\n`);
  write(`${p}/breaks/01-add-subtracts.patch`, breakPatch('add subtracts', `@@ -1 +1 @@\n-${ADD}\n+export const add = (a: number, b: number): number => a - b;\n`));
  write(`${p}/breaks/02-a-comment.patch`, breakPatch('a comment no test can see', `@@ -1 +1,2 @@\n+// a comment\n ${ADD}\n`));
  return root;
}

const catchers: Catchers = {
  $comment: 'the hints, as check:breaks writes them',
  version: 1,
  projects: {
    [ID]: {
      '01-add-subtracts': [{ file: 'tests/add.test.ts', test: 'adds two numbers' }],
      '02-a-comment': [{ file: 'tests/add.test.ts', test: 'keeps a number plus zero the same' }],
    },
  },
};

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function measure(options: { failBatch?: boolean } = {}): Promise<{ measure: ProjectMeasure; progress: string[] }> {
  const root = tinyCourse();
  roots.push(root);
  const progress: string[] = [];
  const [measured] = await measureProjects(discoverProjects(root), {
    root,
    config: DEFAULT_CONFIG,
    catchers,
    progress: (line) => progress.push(line),
    ...(options.failBatch ? { runBatch: async () => ({ ok: false as const, error: 'vitest fell over', ms: 0 }) } : {}),
  });
  return { measure: measured!, progress };
}

describe('the grader’s shared vitest run', () => {
  it('runs the suite, the exercise specs and each break’s hinted tests in one vitest process, each on its own copy', async () => {
    const { measure: m, progress } = await measure();
    expect(progress).toContainEqual(expect.stringMatching(/^4 runs in one vitest process took \d+ s$/));
    expect(m.suite).toMatchObject({ ran: true, passed: 2, failed: 0 });
    expect(m.exercises).toMatchObject([{ name: '01-double', passed: true, tests: 1 }]);
    const [subtracts, comment] = m.breaks;
    // the break is in its own copy only: the suite beside it in the same process passed
    expect(subtracts).toMatchObject({ applied: true, caught: true, caughtBy: ['tests/add.test.ts › adds two numbers'] });
    // each run's name pattern is its own: the hinted test ran, the other was skipped
    expect(subtracts!.result).toMatchObject({ passed: 0, failed: 1, skipped: 1 });
    // a hint that finds nothing is settled by a suite run of its own
    expect(comment).toMatchObject({ applied: true, caught: false, caughtBy: [] });
    expect(comment!.result).toMatchObject({ passed: 2, failed: 0, skipped: 0 });
  }, 120_000);

  it('measures the same when the shared run gives no result, running each on its own', async () => {
    const shared = await measure();
    const alone = await measure({ failBatch: true });
    expect(alone.progress).toContain('the shared vitest run gave no result (vitest fell over): running each on its own');
    const strip = (m: ProjectMeasure) => ({
      suite: { passed: m.suite.passed, failed: m.suite.failed },
      exercises: m.exercises.map((e) => [e.name, e.passed]),
      breaks: m.breaks.map((b) => [b.name, b.caught, b.caughtBy]),
    });
    expect(strip(alone.measure)).toEqual(strip(shared.measure));
  }, 120_000);

  it('gives no result when it takes longer than the time limit, so the runs go alone', async () => {
    const root = tinyCourse();
    roots.push(root);
    const files = workingTreeFiles(root);
    const scratch = makeScratch(root, () => true, files);
    try {
      const batch = await runVitestBatch([{ name: 'suite', dir: scratch.dir, project: ID }], { root, files, workers: 1, timeoutMs: 1 });
      expect(batch).toMatchObject({ ok: false, error: 'the shared vitest run took longer than 1 s' });
    } finally {
      scratch.remove();
    }
  }, 60_000);
});
