// The grader's parts that need no vitest run: the rubric, the teach-back rules, the reports,
// the tampering list, the settings, and vitest's JSON read back. The whole grader runs on a toy
// course in test/course-cli.test.ts, and on the real course in test/grade-e2e.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namePattern, pickCatchers } from '../tools/lib/catchers.ts';
import { DEFAULT_CONFIG, loadConfig } from '../tools/lib/config.ts';
import { checkCourseFiles, computeCourseFiles, graderFiles, isCourseFile, readCourseFiles, serialize } from '../tools/lib/course-files.ts';
import { applyPatchesTogether } from '../tools/lib/git-apply.ts';
import type { ProjectMeasure } from '../tools/lib/measure.ts';
import { countWords, judgeAnswers, parseTeachBack, templateOf } from '../tools/lib/notes.ts';
import { REPO_ROOT } from '../tools/lib/projects.ts';
import { renderJunit, renderMarkdown, renderTable } from '../tools/lib/report.ts';
import { gradeProject, gradeReport } from '../tools/lib/rubric.ts';
import { readReport, type SuiteResult } from '../tools/lib/vitest-run.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

const NOTES = `# Notes

## Change log

- (what you changed)

## Teach-back

### 1. Why write to a temp file first?

> Replace this line with your answer (at least 40 words).

### 2. What does a crash mid-write leave?

> Replace this line with your answer (at least 40 words).

## Reflection

- what surprised you
`;

describe('teach-back answers', () => {
  const template = templateOf(NOTES);

  it('reads one question per ### heading of the Teach-back section, and nothing from other sections', () => {
    expect(parseTeachBack(NOTES).map((q) => q.heading)).toEqual(['1. Why write to a temp file first?', '2. What does a crash mid-write leave?']);
  });

  it('does not count an answer while the placeholder line is still there, however long', () => {
    const notes = NOTES.replace('> Replace this line with your answer (at least 40 words).', `> Replace this line with your answer (at least 40 words).\n${words(60)}`);
    const [first] = judgeAnswers(notes, template, 40);
    expect(first!.answered).toBe(false);
    expect(first!.reason).toMatch(/placeholder/);
  });

  it('counts an answer of at least the minimum words once the placeholder is gone, and not one word fewer', () => {
    const answer = (n: number) => NOTES.replace('> Replace this line with your answer (at least 40 words).', words(n));
    expect(judgeAnswers(answer(40), template, 40)[0]).toMatchObject({ answered: true, words: 40 });
    expect(judgeAnswers(answer(39), template, 40)[0]).toMatchObject({ answered: false, words: 39, reason: 'too short: 39 words, at least 40 needed' });
  });

  it('finds a reworded question by its position, and marks a deleted question unanswered', () => {
    const reworded = NOTES.replace('### 1. Why write to a temp file first?', '### 1. Why temp first').replace('> Replace this line with your answer (at least 40 words).', words(45));
    expect(judgeAnswers(reworded, template, 40)[0]!.answered).toBe(true);
    const deleted = NOTES.replace(/### 2\.[\s\S]*?(?=## Reflection)/, '');
    expect(judgeAnswers(deleted, template, 40)[1]).toMatchObject({ answered: false, reason: 'the question is missing from notes.md' });
  });

  it('ignores HTML comments when counting words', () => {
    expect(countWords(`<!-- ${words(50)} -->`.replace(/<!--[\s\S]*?-->/g, ''))).toBe(0);
    const notes = NOTES.replace('> Replace this line with your answer (at least 40 words).', `<!-- ${words(50)} -->`);
    expect(judgeAnswers(notes, template, 40)[0]).toMatchObject({ answered: false, words: 0 });
  });
});

const green = (passed: number, names: string[] = []): SuiteResult => ({
  ran: true,
  passed,
  failed: names.length,
  skipped: 0,
  tests: [
    ...Array.from({ length: passed }, (_, i) => ({ file: 'tests/a.test.ts', name: `passes ${i}`, status: 'passed' as const })),
    ...names.map((n) => ({ file: 'tests/a.test.ts', name: n, status: 'failed' as const, message: 'expected 1 to be 2' })),
  ],
  brokenFiles: [],
  fileMs: {},
  timedOut: false,
  ms: 1,
});

function measure(over: Partial<ProjectMeasure> = {}): ProjectMeasure {
  return {
    id: 'level-9/99-toy',
    title: 'Toy',
    level: 9,
    suite: green(10),
    breaks: [
      { name: '01-a', title: 'a', applied: true, fuzzy: false, caught: true, caughtBy: ['tests/a.test.ts › x'] },
      { name: '02-b', title: 'the checkpoint is saved too early', applied: true, fuzzy: false, caught: false, caughtBy: [] },
    ],
    exercises: [
      { name: '01-x', file: 'exercises/01-x.spec.ts', present: true, passed: true, tests: 2, failures: [] },
      { name: '02-y', file: 'exercises/02-y.spec.ts', present: true, passed: false, tests: 2, failures: ['adds --y: expected 0 to be 2'] },
    ],
    answers: [
      { question: 'Q1', answered: true, words: 50, text: words(50) },
      { question: 'Q2', answered: false, words: 3, reason: 'too short: 3 words, at least 40 needed', text: 'one two three' },
      { question: 'Q3', answered: false, words: 0, reason: 'not answered (the placeholder is still there)', text: '' },
    ],
    ...over,
  };
}

describe('the rubric', () => {
  const rubric = DEFAULT_CONFIG.rubric;

  it('gives each part its share and says why each point was lost', () => {
    const g = gradeProject(measure(), rubric);
    expect(g.tests.points).toBe(40);
    expect(g.strength.points).toBe(10);
    expect(g.strength.lost).toEqual(['break 02-b survived: every test passed with it applied (the checkpoint is saved too early)']);
    expect(g.exercises.points).toBe(12.5);
    expect(g.exercises.lost).toEqual(['exercise 02-y fails: adds --y: expected 0 to be 2']);
    expect(g.teachBack.points).toBe(5);
    expect(g.teachBack.lost).toEqual(['"Q2": too short: 3 words, at least 40 needed', '"Q3": not answered (the placeholder is still there)']);
    expect(g.points).toBe(67.5);
    expect(g.max).toBe(100);
  });

  it('gives tests points by the share that pass, naming each failing test', () => {
    const g = gradeProject(measure({ suite: green(3, ['refuses a corrupt checkpoint']) }), rubric);
    expect(g.tests.points).toBe(30);
    expect(g.tests.lost).toEqual(['fails: tests/a.test.ts › refuses a corrupt checkpoint (expected 1 to be 2)']);
  });

  it('gives no tests points to a suite that did not run or has no tests', () => {
    const notRun = { ...green(0), ran: false, error: 'vitest exited 1 without a report' };
    expect(gradeProject(measure({ suite: notRun }), rubric).tests).toMatchObject({ points: 0, lost: ['the suite did not run: vitest exited 1 without a report'] });
    expect(gradeProject(measure({ suite: green(0) }), rubric).tests).toMatchObject({ points: 0, lost: ['the suite has no tests'] });
  });

  it('counts a break that no longer applies as not caught, and says so', () => {
    const g = gradeProject(measure({ breaks: [{ name: '01-a', title: 'a', applied: false, fuzzy: false, applyMessage: 'patch failed: src/a.ts:3', caught: false, caughtBy: [] }] }), rubric);
    expect(g.strength.points).toBe(0);
    expect(g.strength.lost[0]).toMatch(/01-a could not be applied.*patch failed: src\/a.ts:3/);
  });

  it('follows the points set in the config', () => {
    const g = gradeProject(measure(), { tests: 10, strength: 10, exercises: 10, teachBack: 10 });
    expect([g.tests.points, g.strength.points, g.exercises.points, g.teachBack.points, g.max]).toEqual([10, 5, 5, 3.33, 40]);
  });
});

describe('the reports', () => {
  const report = gradeReport([measure(), measure({ id: 'level-9/98-other' })], DEFAULT_CONFIG.rubric, 40, { changed: ['projects/x/breaks/01-a.patch'], missing: [], added: [], checked: true });

  it('versions grade.json and totals every project', () => {
    expect(report).toMatchObject({ schema: 'crash-course-grade', version: 1, points: 135, max: 200, percent: 67.5 });
  });

  it('prints a table with a row per project and a total, then every point lost, then any tampering', () => {
    const table = renderTable(report);
    expect(table).toMatch(/level-9\/99-toy\s+40\/40\s+10\/20\s+12\.5\/25\s+5\/15\s+67\.5\/100/);
    expect(table).toMatch(/total\s+135\/200 \(67\.5%\)/);
    expect(table).toContain('break 02-b survived');
    expect(table).toContain('TAMPERING');
    expect(table).toContain('changed: projects/x/breaks/01-a.patch');
  });

  it('writes Markdown for the job summary with the answers for the instructor to read', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| level-9/99-toy | 40/40 | 10/20 | 12.5/25 | 5/15 | **67.5/100** |');
    expect(md).toContain('Teach-back answers, for the instructor to read');
    expect(md).toContain(`> ${words(50)}`);
  });

  it('writes JUnit XML with one test case per rubric item and a failure for each point lost', () => {
    const xml = renderJunit(report);
    const cases = xml.match(/<testcase /g)!.length;
    // per project: suite + 2 breaks + 2 exercises + 3 questions; plus the course files
    expect(cases).toBe(2 * 8 + 1);
    expect(xml.match(/<failure /g)!.length).toBe(2 * 4 + 1);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });
});

describe('the checksum list of the course files', () => {
  it('is current: regenerate it with `npm run course -- checksums` after changing a break, exercise, solution, the kit or the grader', () => {
    const shipped = readCourseFiles(REPO_ROOT);
    expect(shipped, 'tools/course-files.json is missing: npm run course -- checksums').toBeDefined();
    expect(serialize(computeCourseFiles(REPO_ROOT)), 'tools/course-files.json is stale: npm run course -- checksums').toBe(serialize(shipped!));
  });

  it('covers breaks, exercise specs, solutions, manifests, the kit and the grader, and not what a learner edits', () => {
    const grader = graderFiles(REPO_ROOT);
    for (const f of ['projects/level-4/05-x/breaks/01-a.patch', 'projects/level-4/05-x/exercises/01-a.spec.ts', 'projects/level-4/05-x/solutions/01-a.patch', 'projects/level-4/05-x/project.json', 'test/kit/volume.ts', 'tools/grade.ts', 'tools/lib/rubric.ts', 'tools/lib/scratch.ts', 'course.config.json']) {
      expect(isCourseFile(f, grader), f).toBe(true);
    }
    for (const f of ['projects/level-4/05-x/src/run.ts', 'projects/level-4/05-x/tests/a.test.ts', 'projects/level-4/05-x/notes.md', 'tools/course-files.json', 'tools/tour.ts']) {
      expect(isCourseFile(f, grader), f).toBe(false);
    }
  });

  it('reports a changed break, a deleted exercise spec and an added break', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-course-tamper-'));
    try {
      const p = 'projects/level-1/01-toy';
      const files: Record<string, string> = {
        'package.json': '{}',
        [`${p}/project.json`]: JSON.stringify({ id: 'level-1/01-toy', title: 'Toy', level: 1, run: [], artifacts: [], checkpoint: 'data/c' }),
        [`${p}/breaks/01-a.patch`]: 'Break: a\n',
        [`${p}/exercises/01-x.spec.ts`]: 'spec\n',
        [`${p}/src/run.ts`]: 'code\n',
      };
      for (const [rel, text] of Object.entries(files)) {
        put(dir, rel, text);
      }
      const list = computeCourseFiles(dir);
      expect(Object.keys(list.files).sort()).toEqual([`${p}/breaks/01-a.patch`, `${p}/exercises/01-x.spec.ts`, `${p}/project.json`]);
      expect(checkCourseFiles(dir, list)).toEqual({ changed: [], missing: [], added: [] });
      writeFileSync(join(dir, p, 'breaks/01-a.patch'), 'Break: a, weakened\n');
      unlinkSync(join(dir, p, 'exercises/01-x.spec.ts'));
      writeFileSync(join(dir, p, 'breaks/02-b.patch'), 'Break: b\n');
      writeFileSync(join(dir, p, 'src/run.ts'), 'the learner fixed it\n');
      expect(checkCourseFiles(dir, list)).toEqual({ changed: [`${p}/breaks/01-a.patch`], missing: [`${p}/exercises/01-x.spec.ts`], added: [`${p}/breaks/02-b.patch`] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hashes a Windows checkout (CRLF) the same as the committed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-course-crlf-'));
    try {
      const rel = 'projects/level-1/01-toy/breaks/01-a.patch';
      put(dir, rel, 'Break: a\nline\n');
      put(dir, 'projects/level-1/01-toy/project.json', JSON.stringify({ id: 'level-1/01-toy', title: 'T', level: 1, run: [], artifacts: [], checkpoint: 'c' }));
      const list = computeCourseFiles(dir);
      writeFileSync(join(dir, rel), 'Break: a\r\nline\r\n');
      expect(checkCourseFiles(dir, list).changed).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function put(dir: string, rel: string, text: string): void {
  mkdirSync(dirname(join(dir, rel)), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

describe('the settings in course.config.json', () => {
  it('are the rubric of COURSE.md section 9 as shipped', () => {
    expect(loadConfig(REPO_ROOT).rubric).toEqual({ tests: 40, strength: 20, exercises: 25, teachBack: 15 });
    expect(loadConfig(REPO_ROOT).teachBack.minWords).toBe(40);
  });

  it('refuse a negative number of points, naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-course-config-'));
    try {
      writeFileSync(join(dir, 'course.config.json'), JSON.stringify({ rubric: { strength: -5 } }));
      expect(() => loadConfig(dir)).toThrow('course.config.json: rubric.strength must be a number of at least 0, got -5');
      writeFileSync(join(dir, 'course.config.json'), JSON.stringify({ teachBack: { minWords: 10 } }));
      expect(loadConfig(dir)).toMatchObject({ rubric: DEFAULT_CONFIG.rubric, teachBack: { minWords: 10 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("vitest's JSON report", () => {
  it('is read into passed and failed tests per file, and a file that did not load is a failure', () => {
    const result = readReport(
      {
        testResults: [
          {
            name: '/r/projects/level-1/01-toy/tests/a.test.ts',
            status: 'failed',
            startTime: 10,
            endTime: 40,
            assertionResults: [
              { title: 'passes', ancestorTitles: ['flags'], status: 'passed' },
              { title: 'fails', ancestorTitles: ['flags'], status: 'failed', failureMessages: ['\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at x'] },
            ],
          },
          { name: '/r/projects/level-1/01-toy/tests/b.test.ts', status: 'failed', message: "Cannot find module './gone.ts'", assertionResults: [] },
        ],
      },
      '/r/projects/level-1/01-toy',
    );
    expect(result).toMatchObject({ ran: true, passed: 1, failed: 1, fileMs: { 'tests/a.test.ts': 30 } });
    expect(result.tests[1]).toEqual({ file: 'tests/a.test.ts', name: 'flags › fails', status: 'failed', message: 'AssertionError: expected 1 to be 2' });
    expect(result.brokenFiles).toEqual([{ file: 'tests/b.test.ts', message: "Cannot find module './gone.ts'" }]);
  });
});

describe('break catchers (the hint of which tests to run first)', () => {
  it('picks the failing test from the quickest file', () => {
    const result = { ...green(0), fileMs: { 'tests/slow.test.ts': 900, 'tests/quick.test.ts': 5 } };
    result.tests = [
      { file: 'tests/slow.test.ts', name: 'sweep › resumes from all 203 crash states', status: 'failed' },
      { file: 'tests/quick.test.ts', name: 'flags › refuses 0', status: 'failed' },
      { file: 'tests/quick.test.ts', name: 'flags › refuses -1', status: 'failed' },
    ];
    expect(pickCatchers(result)).toEqual([{ file: 'tests/quick.test.ts', test: 'refuses 0' }]);
  });

  it('matches a title whose counts changed, since crash sweeps name how many states they checked', () => {
    const pattern = new RegExp(namePattern([{ file: 'f', test: 'resumes from all 203 crash states (46 operations)' }]));
    expect(pattern.test('crash recovery resumes from all 263 crash states (61 operations)')).toBe(true);
    expect(pattern.test('crash recovery resumes from all crash states')).toBe(false);
  });
});

describe('applying every solution together', () => {
  it('keeps both sides where two patches made against the same baseline add lines at the same place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crash-course-merge-test-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() } });
    try {
      const base = 'interface Options {\n  input: string;\n  force: boolean;\n}\n\nexport const x = 1;\n';
      writeFileSync(join(dir, 'a.ts'), base);
      git('init', '-q');
      git('add', '.');
      git('commit', '-q', '-m', 'base');
      const patchWith = (name: string, line: string) => {
        writeFileSync(join(dir, 'a.ts'), base.replace('  force: boolean;\n', `  force: boolean;\n${line}\n`));
        const patch = join(dir, `${name}.patch`);
        writeFileSync(patch, `Solution: ${name}\n\n${git('diff', '--', 'a.ts')}`);
        git('checkout', '--', 'a.ts');
        return patch;
      };
      const one = patchWith('one', '  status: boolean;');
      const two = patchWith('two', '  maxFailures: number;');
      expect(applyPatchesTogether(dir, [one, two])).toEqual({ ok: true, message: '' });
      const merged = readFileSync(join(dir, 'a.ts'), 'utf8');
      expect(merged).toContain('  status: boolean;\n');
      expect(merged).toContain('  maxFailures: number;\n');
      expect(merged).toContain('export const x = 1;');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
