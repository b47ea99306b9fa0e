// The course CLI and the grader, end to end on a toy course built in a temp dir: one tiny
// project with a break, an exercise, its solution, a data break and notes. Small enough to
// grade in seconds; test/grade-e2e.test.ts does the same on the real course (gated: slow).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBreak, undoBreaks } from '../tools/lib/breaks.ts';
import { writeCourseFiles } from '../tools/lib/course-files.ts';
import { discoverProjects, REPO_ROOT, resolveProject } from '../tools/lib/projects.ts';
import type { GradeReport } from '../tools/lib/rubric.ts';

const P = 'projects/level-0/01-toy';

const SUM = `// Sum the numbers of a file, one per line.
export function sum(text: string): number {
  let total = 0;
  for (const line of text.split('\\n')) {
    if (line.trim() === '') continue;
    total += Number(line);
  }
  return total;
}
`;

const TOY: Record<string, string> = {
  [`${P}/project.json`]: JSON.stringify(
    {
      id: 'level-0/01-toy',
      title: 'Toy',
      level: 0,
      focus: 'a toy for the tools tests',
      run: ['data/sample.txt', 'data/.checkpoint.json'],
      artifacts: ['data/out.txt'],
      checkpoint: 'data/.checkpoint.json',
      dataBreaks: [
        { name: 'not-json', description: 'the checkpoint is cut off', write: { path: 'data/.checkpoint.json', content: '{"next": 1' }, expect: { code: 65, message: 'is not valid JSON' } },
      ],
    },
    null,
    2,
  ),
  [`${P}/project.ts`]: `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { sum } from './src/sum.ts';
const [input, checkpoint] = process.argv.slice(2);
if (existsSync(checkpoint!)) {
  try { JSON.parse(readFileSync(checkpoint!, 'utf8')); } catch {
    process.stderr.write(\`Checkpoint \${checkpoint} is not valid JSON; move it aside\\n\`);
    process.exitCode = 65;
  }
}
if (process.exitCode === undefined) writeFileSync('data/out.txt', \`\${sum(readFileSync(input!, 'utf8'))}\\n\`);
`,
  [`${P}/src/sum.ts`]: SUM,
  [`${P}/tests/sum.test.ts`]: `import { expect, it } from 'vitest';
import { sum } from '../src/sum.ts';
it('adds every line', () => expect(sum('1\\n2\\n3\\n')).toBe(6));
`,
  [`${P}/tests/blank.test.ts`]: `import { expect, it } from 'vitest';
import { sum } from '../src/sum.ts';
it('skips blank lines', () => expect(sum('\\n\\n')).toBe(0));
`,
  [`${P}/exercises/01-double.spec.ts`]: `import { expect, it } from 'vitest';
import * as mod from '../src/sum.ts';
it('doubles the sum', () => {
  const double = (mod as Record<string, unknown>).double as ((text: string) => number) | undefined;
  expect(double?.('1\\n2\\n')).toBe(6);
});
`,
  [`${P}/notes.md`]: `# Notes

## Change log

- (what you changed)

## Teach-back

### 1. Why is a blank line skipped?

> Replace this line with your answer (at least 40 words).

## Reflection

- (what surprised you)
`,
  [`${P}/data/sample.txt`]: '1\n2\n3\n',
};

interface Toy {
  dir: string;
  git(...args: string[]): string;
  tool(script: string, ...args: string[]): { code: number; stdout: string; stderr: string };
}

function buildToy(): Toy {
  const dir = mkdtempSync(join(tmpdir(), 'crash-course-toy-'));
  const env = { ...process.env, GIT_CEILING_DIRECTORIES: dirname(dir) };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const f of ['package.json', 'vitest.config.ts', 'course.config.json', '.gitignore']) copyFileSync(join(REPO_ROOT, f), join(dir, f));
  mkdirSync(join(dir, 'tools'));
  for (const f of ['grade.ts', 'course.ts', 'check-patches.ts']) copyFileSync(join(REPO_ROOT, 'tools', f), join(dir, 'tools', f));
  cpSync(join(REPO_ROOT, 'tools', 'lib'), join(dir, 'tools', 'lib'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'junction');
  for (const [rel, text] of Object.entries(TOY)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  git('init', '-q');
  writeFileSync(join(dir, '.git', 'info', 'exclude'), '/node_modules\n');
  // the break and the solution, made as contributing.md says: edit, git diff, restore
  git('add', '-A');
  git('commit', '-q', '-m', 'toy');
  const makePatch = (rel: string, label: string, edit: (s: string) => string) => {
    writeFileSync(join(dir, P, 'src/sum.ts'), edit(SUM));
    writeFileSync(join(dir, P, rel), `${label}\n\n${git('diff', '--', `${P}/src/sum.ts`)}`);
    git('checkout', '--', `${P}/src/sum.ts`);
  };
  mkdirSync(join(dir, P, 'breaks'));
  mkdirSync(join(dir, P, 'solutions'));
  makePatch('breaks/01-skips-first-line.patch', 'Break: the first line is never added', (s) => s.replace("for (const line of text.split('\\n')) {", "for (const line of text.split('\\n').slice(1)) {"));
  makePatch('solutions/01-double.patch', 'Solution: double() doubles the sum', (s) => `${s}\nexport function double(text: string): number {\n  return 2 * sum(text);\n}\n`);
  const tool = (script: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: dir, encoding: 'utf8', env: { ...env, FORCE_COLOR: '0' } });
    return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
  };
  writeCourseFiles(dir);
  git('add', '-A');
  git('commit', '-q', '-m', 'catalogue');
  return { dir, git, tool };
}

let toy: Toy;
beforeAll(() => {
  toy = buildToy();
});
afterAll(() => {
  if (existsSync(join(toy.dir, 'node_modules'))) unlinkSync(join(toy.dir, 'node_modules'));
  rmSync(toy.dir, { recursive: true, force: true });
});

const grade = (...args: string[]) => {
  const r = toy.tool('tools/grade.ts', '--quiet', ...args);
  return { ...r, report: JSON.parse(readFileSync(join(toy.dir, 'reports', 'grade.json'), 'utf8')) as GradeReport };
};

describe('naming a project', () => {
  const projects = discoverProjects(REPO_ROOT);
  const model = projects.find((p) => p.id === 'level-4/05-checkpoint-recovery-tool');

  it.skipIf(!model)('accepts level-4, 05, the id, the folder name and the folder path, with either slash', () => {
    for (const name of ['level-4', '05', 'level-4/05-checkpoint-recovery-tool', '05-checkpoint-recovery-tool', 'projects/level-4/05-checkpoint-recovery-tool/', 'projects\\level-4\\05-checkpoint-recovery-tool', join(REPO_ROOT, 'projects/level-4/05-checkpoint-recovery-tool')]) {
      expect(resolveProject(projects, name).id, name).toBe('level-4/05-checkpoint-recovery-tool');
    }
  });

  it('refuses a project that does not exist, listing the ones that do', () => {
    expect(() => resolveProject(projects, 'level-99')).toThrow(/^No project "level-99"; choose one of: level-\d/);
  });

  it('finds every project from its project.json, whose id is where it lives', () => {
    for (const p of projects) expect(p.manifest.id).toBe(p.id);
  });
});

describe('course break on the toy course', () => {
  const data = () => join(toy.dir, P, 'data');
  const dataState = () =>
    readdirSync(data())
      .sort()
      .map((f) => `${f}=${readFileSync(join(data(), f), 'utf8')}`);

  it('lists the code breaks and the data breaks', () => {
    const r = toy.tool('tools/course.ts', 'break', 'level-0', '--list');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/01-skips-first-line\s+the first line is never added/);
    expect(r.stdout).toMatch(/not-json\s+the checkpoint is cut off \(expect exit 65\)/);
  });

  it('refuses a project or a break that does not exist, with exit 2 and the choices', () => {
    const noProject = toy.tool('tools/course.ts', 'break', 'level-7', 'not-json');
    expect(noProject).toMatchObject({ code: 2, stderr: 'No project "level-7"; choose one of: level-0 (level-0/01-toy)\n' });
    const project = discoverProjects(toy.dir)[0]!;
    return expect(applyBreak(toy.dir, project, 'nope')).rejects.toMatchObject({
      exitCode: 2,
      message: 'No break "nope" in level-0/01-toy; choose one of: 01-skips-first-line, not-json',
    });
  });

  it('applies a data break, says what to run and what to look for, and --undo puts back exactly what was there', async () => {
    // what a learner's earlier runs left: undo must keep it, byte for byte
    writeFileSync(join(data(), 'out.txt'), 'from an earlier run\n');
    writeFileSync(join(data(), '.checkpoint.json'), '{"next": 2}');
    const before = dataState();
    const project = discoverProjects(toy.dir)[0]!;
    const said = (await applyBreak(toy.dir, project, 'not-json')).join('\n');
    expect(said).toContain(`cd ${P}\n  npx tsx project.ts data/sample.txt data/.checkpoint.json`);
    expect(said).toContain('Look for: exit code 65 and a one-line error containing "is not valid JSON"');
    expect(readFileSync(join(data(), '.checkpoint.json'), 'utf8')).toBe('{"next": 1');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'project.ts', ...project.manifest.run], { cwd: project.dir, encoding: 'utf8' });
    expect(run.status).toBe(65);
    expect(run.stderr).toContain('is not valid JSON');
    expect(undoBreaks(toy.dir, project, 'not-json')[0]).toMatch(/^Undid data break not-json/);
    expect(dataState()).toEqual(before);
    expect(toy.git('status', '--porcelain')).toBe('');
    rmSync(join(data(), 'out.txt'));
    rmSync(join(data(), '.checkpoint.json'));
  });

  it('applies a code break, refuses it twice, and --undo leaves git status clean', async () => {
    const applied = toy.tool('tools/course.ts', 'break', P, '01');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Applied code break 01-skips-first-line to level-0/01-toy: the first line is never added');
    expect(applied.stdout).toContain('npx vitest run --project level-0/01-toy');
    expect(toy.git('status', '--porcelain')).toBe(` M ${P}/src/sum.ts\n`);
    const project = discoverProjects(toy.dir)[0]!;
    await expect(applyBreak(toy.dir, project, '01-skips-first-line')).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/already applied/) });
    const undone = toy.tool('tools/course.ts', 'break', 'level-0', '--undo');
    expect(undone).toMatchObject({ code: 0 });
    expect(undone.stdout).toMatch(/Undid code break 01-skips-first-line/);
    expect(toy.git('status', '--porcelain')).toBe('');
  });

  it('refuses a code break whose lines the learner has changed, and changes nothing', () => {
    const edited = SUM.replace("for (const line of text.split('\\n')) {", "for (const line of text.split(/\\r?\\n/)) {");
    writeFileSync(join(toy.dir, P, 'src/sum.ts'), edited);
    const project = discoverProjects(toy.dir)[0]!;
    return applyBreak(toy.dir, project, '01-skips-first-line').then(
      () => expect.unreachable('the break applied to changed lines'),
      (error: Error & { exitCode: number }) => {
        expect(error.exitCode).toBe(1);
        expect(error.message).toMatch(/^Break 01-skips-first-line no longer applies to your working tree/);
        expect(readFileSync(join(toy.dir, P, 'src/sum.ts'), 'utf8')).toBe(edited);
        toy.git('checkout', '--', `${P}/src/sum.ts`);
      },
    );
  });

  it('says a code break fixed by hand is already gone when asked to undo it', async () => {
    const project = discoverProjects(toy.dir)[0]!;
    await applyBreak(toy.dir, project, '01-skips-first-line');
    toy.git('checkout', '--', `${P}/src/sum.ts`); // the learner's fix
    expect(undoBreaks(toy.dir, project)).toEqual(['Code break 01-skips-first-line on level-0/01-toy is already gone (fixed or undone by hand): nothing to undo.']);
    expect(toy.git('status', '--porcelain')).toBe('');
  });
});

describe('course status on the toy course', () => {
  it('shows each project with its suite, exercises, breaks caught and answers, and the next step', () => {
    const r = toy.tool('tools/course.ts', 'status');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/level-0\/01-toy\s+passing \(2\/2\)\s+0\/1\s+1\/1\s+0\/1/);
    expect(r.stdout).toContain('Next: level-0/01-toy, Alter it: make exercises/01-double.spec.ts pass');
    expect(r.stdout).toContain('npm run course -- exercises level-0 01-double');
  });
});

describe('npm run grade on the toy course', () => {
  it('gives the baseline full tests and strength points, and none for exercises and teach-back', () => {
    const { code, stdout, report } = grade();
    expect(code).toBe(0);
    const p = report.projects[0]!;
    expect([p.tests.points, p.strength.points, p.exercises.points, p.teachBack.points]).toEqual([40, 20, 0, 0]);
    expect(p.exercises.lost[0]).toMatch(/^exercise 01-double fails: doubles the sum/);
    expect(p.teachBack.lost).toEqual(['"1. Why is a blank line skipped?": not answered (the placeholder is still there)']);
    expect(report.tampering).toEqual({ changed: [], missing: [], added: [], checked: true });
    expect(stdout).toMatch(/level-0\/01-toy\s+40\/40\s+20\/20\s+0\/25\s+0\/15\s+60\/100/);
    expect(readFileSync(join(toy.dir, 'reports', 'grade.md'), 'utf8')).toContain('| level-0/01-toy | 40/40 | 20/20 | 0/25 | 0/15 | **60/100** |');
    expect(readFileSync(join(toy.dir, 'reports', 'junit.xml'), 'utf8')).toContain('<testcase classname="level-0/01-toy" name="strength: break 01-skips-first-line is caught"/>');
  });

  it('gives full marks with the solution applied and the notes answered, and appends to the job summary', () => {
    toy.git('apply', `${P}/solutions/01-double.patch`);
    const notes = join(toy.dir, P, 'notes.md');
    const answer = 'A blank line holds no number, and Number of an empty string is zero, so adding it would do no harm today; skipping it says what we mean and keeps a later change to parsing from turning blank lines into errors or into NaN that spreads through every total after it.';
    writeFileSync(notes, readFileSync(notes, 'utf8').replace('> Replace this line with your answer (at least 40 words).', answer));
    const summary = join(toy.dir, 'summary.md');
    writeFileSync(summary, '');
    const withSummary = spawnSync(process.execPath, ['--import', 'tsx', 'tools/grade.ts', '--quiet'], {
      cwd: toy.dir,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_STEP_SUMMARY: summary, GIT_CEILING_DIRECTORIES: dirname(toy.dir) },
    });
    expect(withSummary.status).toBe(0);
    const report = JSON.parse(readFileSync(join(toy.dir, 'reports', 'grade.json'), 'utf8')) as GradeReport;
    expect(report).toMatchObject({ points: 100, max: 100 });
    expect(readFileSync(summary, 'utf8')).toContain('# Crash Course grade: 100 / 100 (100%)');
    expect(readFileSync(summary, 'utf8')).toContain(answer);
  });

  it('takes strength points from a learner who deletes the test that catches a break, and reports an edited break as tampering', () => {
    rmSync(join(toy.dir, P, 'tests/sum.test.ts'));
    const breakFile = join(toy.dir, P, 'breaks/01-skips-first-line.patch');
    writeFileSync(breakFile, readFileSync(breakFile, 'utf8').replace('Break: the first line is never added', 'Break: harmless'));
    const { code, stdout, report } = grade();
    expect(code).toBe(1);
    const p = report.projects[0]!;
    expect(p.tests.points).toBe(40);
    expect(p.strength).toMatchObject({ points: 0, lost: ['break 01-skips-first-line survived: every test passed with it applied (harmless)'] });
    expect(report.tampering.changed).toEqual([`${P}/breaks/01-skips-first-line.patch`]);
    expect(stdout).toContain(`TAMPERING`);
    toy.git('checkout', '--', '.');
    toy.git('clean', '-fdq', 'projects');
  });
});
