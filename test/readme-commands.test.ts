// Every exercise page has the course's headings, and every command under "Run (copy/paste)"
// prints what "Expected terminal output" says: the page and the code cannot drift apart
// (the lesson of the seed page that said 6 tests and 10 items when the code had 7 and 21).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchProject, type Scratch } from './kit/index.ts';
import { courseProjects, expectedCommands, fence, HEADINGS, mask, section } from './readme.ts';

const run = promisify(execFile);
const scratches: Scratch[] = [];
afterAll(() => scratches.forEach((s) => s.remove()));

describe.each(courseProjects().map((p) => [p.id, p] as const))('%s README', (_id, project) => {
  it('has every heading of the exercise page, in order', () => {
    const found = HEADINGS.map((h) => project.readme.indexOf(`\n## ${h}\n`));
    expect(HEADINGS.filter((_, k) => found[k] === -1), 'missing headings').toEqual([]);
    expect(found).toEqual([...found].sort((a, b) => a - b));
    expect(project.readme).toMatch(new RegExp(`^# Level ${project.manifest.level} / Project \\d\\d — ${project.manifest.title}\\n`));
  });

  it('lists under "Expected terminal output" exactly the commands of "Run (copy/paste)"', () => {
    const run = fence(section(project.readme, 'Run (copy/paste)'), 'bash');
    const shown = fence(section(project.readme, 'Expected terminal output'), 'console');
    expect(run, 'a ```bash block under Run (copy/paste)').toBeDefined();
    expect(shown, 'a ```console block under Expected terminal output').toBeDefined();
    const lines = run!.split('\n').filter((l) => l.trim());
    expect(lines[0]).toBe(`cd projects/${project.id}`);
    expect(expectedCommands(shown!).map((c) => c.command)).toEqual(lines.slice(1));
  });

  // Concurrent across projects: each page's commands run in order in its own scratch copy.
  // Each command starts a real tsx process; seven pages at once on a loaded two-core machine
  // took over 30 s, so the limit is generous (the test is about the output, never the time).
  it.concurrent('prints what the page says for each command, run as written from the project folder', { timeout: 180_000 }, async () => {
    const scratch = scratchProject(project.dir);
    scratches.push(scratch);
    const shown = expectedCommands(fence(section(project.readme, 'Expected terminal output'), 'console') ?? '');
    expect(shown.length, 'commands on the page').toBeGreaterThan(0);
    for (const step of shown) {
      let output: string;
      let code = 0;
      try {
        ({ stdout: output } = await run('bash', ['-c', `${step.command} 2>&1`], { cwd: scratch.dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } }));
      } catch (error) {
        const e = error as { code: number | null; signal: NodeJS.Signals | null; stdout: string };
        code = e.code ?? 128 + (e.signal === 'SIGKILL' ? 9 : e.signal === 'SIGINT' ? 2 : 0); // as a shell reports a signal death
        output = e.stdout;
      }
      expect({ command: step.command, code, output: mask(output) }).toEqual({ command: step.command, code: step.exitCode, output: mask(step.output) });
    }
  });
});
