// Write sets (issue 8): each project, run on the kit's recording file system, writes only its
// output, its checkpoint, and the files named after them (temp, lock, backup, staged and
// partition files), and only inside the folders its arguments name. Every operation that
// changes the volume is read from the log: a normal run, a run killed part-way and its resume,
// and a --force run over a checkpoint, first with the project's own arguments, then with the
// input, output and checkpoint each moved to a folder of its own, so a file written beside the
// wrong one shows.
import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverProjects, type Project } from '../tools/lib/projects.ts';
import type { Operation, Snapshot } from './kit/index.ts';
import { ENTRIES } from './battery/cases.ts';
import { flagValue, setFlag } from './battery/generic.ts';
import { at, isPathArg, loadTool, rel, sampleWorld, withFiles, type Outcome } from './battery/runner.ts';

/** Operations that change names or bytes (an fsync changes neither). */
const CHANGES: Operation['kind'][] = ['open', 'write', 'writeFile', 'appendFile', 'truncate', 'rename', 'unlink', 'rm', 'mkdir', 'link', 'copyFile'];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What a run with these arguments may write: relative paths, as patterns. */
export function allowedWrites(project: Project, args: string[]): { folders: string[]; patterns: RegExp[] } {
  const entry = ENTRIES[project.id];
  const pathArgs = args.filter(isPathArg);
  // the folders it was given: the folder of every path argument, and a folder argument itself
  const folders = [...new Set(pathArgs.flatMap((p) => [dirname(p), p]))];
  const patterns: RegExp[] = [];
  for (const flag of [entry?.output ?? '--output', entry?.checkpoint ?? '--checkpoint']) {
    const value = flagValue(args, flag);
    if (!value) continue;
    const stem = value.replace(/\.[^./]*$/, '');
    patterns.push(new RegExp(`^${escape(value)}(\\.[^/]+)?$`), new RegExp(`^${escape(stem)}\\.[^/]+$`));
  }
  patterns.push(...(entry?.writes?.(args) ?? []));
  return { folders, patterns };
}

/** One line per write outside the allowed set. */
function strayWrites(outcome: Outcome, allowed: { folders: string[]; patterns: RegExp[] }): string[] {
  const paths = [
    ...outcome.ops.filter((op) => CHANGES.includes(op.kind)).flatMap((op) => [op.path, ...(op.to ? [op.to] : [])].map((p) => [op.kind, p] as const)),
    ...outcome.realChanges.map((p) => ['sqlite', p] as const),
  ];
  const stray: string[] = [];
  for (const [kind, abs] of paths) {
    const path = rel(abs);
    const inFolder = allowed.folders.some((f) => path === f || dirname(path) === f || path.startsWith(`${f}/`));
    const named = allowed.patterns.some((re) => re.test(path));
    if (!inFolder || !named) stray.push(`${kind} ${path}${inFolder ? '' : ' (outside the folders it was given)'}${named ? '' : ' (not its output, checkpoint or a file named after them)'}`);
  }
  return stray;
}

/** The arguments with the input, output and checkpoint each in a folder of its own, and the world to match. */
function spread(project: Project, args: string[], world: Snapshot): { args: string[]; world: Snapshot } {
  const entry = ENTRIES[project.id];
  const flags = entry?.spread ?? [entry?.input?.flag ?? '--input', entry?.output ?? '--output', entry?.checkpoint ?? '--checkpoint'];
  const folders: Record<string, string> = { [entry?.input?.flag ?? '--input']: 'in', [entry?.output ?? '--output']: 'out', [entry?.checkpoint ?? '--checkpoint']: 'state' };
  let moved = args;
  const files: Record<string, Buffer> = {};
  const dirs: string[] = [];
  for (const flag of flags) {
    const value = flagValue(args, flag);
    if (!value) continue;
    const to = `${folders[flag] ?? 'elsewhere'}/${basename(value)}`;
    moved = setFlag(moved, flag, to);
    dirs.push(dirname(to));
    // an input moves with its bytes (a folder of inputs with all of them)
    for (const [path, bytes] of world.files) {
      if (path === at(value)) files[to] = bytes;
      else if (path.startsWith(`${at(value)}/`)) files[`${to}${path.slice(at(value).length)}`] = bytes;
    }
  }
  return { args: moved, world: withFiles(world, files, dirs) };
}

const projects = discoverProjects();

describe.each(projects.map((p) => [p.id, p] as const))('%s writes only its own files', (_id, project) => {
  const entry = ENTRIES[project.id];
  const own = entry?.args ?? project.manifest.run;
  const sample = sampleWorld(project);
  const layouts = [
    ['its own arguments', { args: own, world: sample }],
    ['the input, output and checkpoint in folders of their own', spread(project, own, sample)],
  ] as const;

  for (const [layout, { args, world }] of layouts) {
    it(`in a normal run, a run killed part-way and its resume, and a --force run (${layout})`, async () => {
      const tool = await loadTool(project, entry?.tool);
      const allowed = allowedWrites(project, args);
      const clean = await tool.run(world, args);
      expect(clean.code, clean.log.at(-1)).toBe(0);
      const killed = await tool.run(world, [...args, '--simulate-crash', '5']);
      expect(killed.code, killed.log.at(-1)).toBe('crashed');
      const resumed = await tool.run(killed.after, args);
      expect(resumed.code, resumed.log.at(-1)).toBe(0);
      const again = await tool.run(world, [...args, '--simulate-crash', '5']);
      const forced = await tool.run(again.after, [...args, '--force']);
      expect(forced.code, forced.log.at(-1)).toBe(0);

      const runs = { clean, killed, resumed, forced };
      for (const [name, run] of Object.entries(runs)) expect(strayWrites(run, allowed), name).toEqual([]);
      // not vacuous: the runs did write, and wrote their artifacts where they were told
      expect(clean.ops.length + clean.realChanges.length).toBeGreaterThan(0);
      const output = flagValue(args, entry?.output ?? '--output');
      if (output) expect([...clean.after.files.keys()].map(rel).some((p) => p === output || p.startsWith(`${output}/`))).toBe(true);
    });
  }

  it('is caught writing a file its arguments do not name', () => {
    const allowed = allowedWrites(project, own);
    const stray = (path: string): Outcome => ({ code: 0, log: [], stdout: '', ops: [{ seq: 0, kind: 'writeFile', path: at(path) }], realChanges: [], after: sample, pid: 0 });
    expect(strayWrites(stray('data/notes.txt'), allowed)).toEqual(['writeFile data/notes.txt (not its output, checkpoint or a file named after them)']);
    expect(strayWrites(stray('elsewhere/x.tmp'), allowed)[0]).toMatch(/outside the folders it was given/);
  });
});
