// The battery's one check: run a case, then compare the bytes before and after. It returns one
// line per problem (empty when the case passes), so a test can assert on it, and so can the
// test that feeds it a deliberately broken tool (test/battery-catches.test.ts).
import { createHash } from 'node:crypto';
import { diffSnapshots, type Faults, type Snapshot } from '../kit/index.ts';
import { ROOT, rel, withFiles, type Outcome, type Tool } from './runner.ts';

/**
 * What a case may leave behind.
 * - none: refused before any write: not one operation changed a file or a folder (G4).
 * - unchanged: refused: every file byte for byte as it was (G3, G9).
 * - progress: refused part-way through the input (a bad record found while streaming): the
 *   input and the output as they were, only the checkpoint moved (a whole file, no temp left),
 *   and a rerun refuses the same way at the same place.
 * - complete: finished: input unchanged, artifacts written, checkpoint cleared, no temp file left.
 * - resumable: an I/O error part-way: input unchanged, and a rerun without the fault finishes
 *   byte-identical to a run that never failed (nothing lost, nothing twice).
 */
export type Writes = 'none' | 'unchanged' | 'progress' | 'complete' | 'resumable';

export interface Expectation {
  code: number;
  /** the error line (the last stderr line) for a refusal; any stderr line for a finished run */
  message: RegExp | string;
  writes: Writes;
  /** complete: the artifacts are those of the plain sample (the tool reads this input as the sample) */
  sameAsSample?: boolean;
  /** complete: also crash half-way and resume: the artifacts are those of the uninterrupted run */
  crashResume?: boolean;
  /** run on memfs without the recording fs (no operation log): for the 10 MB line, where the log costs seconds */
  plain?: boolean;
}

export interface BatteryCase {
  name: string;
  /** the volume before the run (paths under /p) */
  world: Snapshot;
  /** the run's arguments, paths relative to the project folder */
  args: string[];
  /** runs made first (e.g. one with --simulate-crash); the case starts from what they leave */
  prepare?: string[][];
  /** then these files are written (relative paths), as a data break does */
  write?: Record<string, string | Buffer>;
  faults?: Faults;
  /** pids reported alive: a lock held by a live process */
  alive?: number[];
  /** the pids of the prepare runs are reported alive (their crash left a lock a live run would hold) */
  preparedAlive?: boolean;
  /** a known bug of the baseline: the case is expected to fail until it is fixed (say which, and who was told) */
  knownBug?: string;
  /** where this case's run leaves its artifacts, when its arguments move them (absolute paths) */
  artifacts?: string[];
  expect: Expectation;
}

export interface Subject {
  tool: Tool;
  /** what a finished run leaves (absolute paths) */
  artifacts: string[];
  /** the checkpoint (absolute); cleared by a finished run unless `checkpointKept` */
  checkpoint: string;
  /** level 5: the database stays (its row says completed) */
  checkpointKept?: boolean;
  /** the input files of a world: they must never change */
  isInput: (path: string) => boolean;
  /** the artifacts of an uninterrupted run on the plain sample */
  sampleArtifacts?: () => Promise<Map<string, Buffer | undefined>>;
}

export interface CaseResult {
  problems: string[];
  outcome: Outcome;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 12);

/** The world a case starts from: its prepare runs made, then its files written. */
export async function startingWorld(subject: Subject, c: BatteryCase): Promise<{ world: Snapshot; pids: number[] }> {
  let world = c.world;
  const pids: number[] = [];
  for (const args of c.prepare ?? []) {
    const r = await subject.tool.run(world, args);
    pids.push(r.pid);
    world = r.after;
  }
  if (c.write) {
    world = withFiles(world, c.write);
  }
  return { world, pids };
}

export async function checkCase(subject: Subject, c: BatteryCase): Promise<CaseResult> {
  const { world: before, pids } = await startingWorld(subject, c);
  const alive = [...(c.alive ?? []), ...(c.preparedAlive ? pids : [])];
  const outcome = await subject.tool.run(before, c.args, { faults: c.faults, alive, plain: c.expect.plain });
  const problems: string[] = [];
  const want = c.expect;
  const last = outcome.log.at(-1) ?? '';
  // A usage error is followed by a hint line; the error is the line before it.
  const errorLine = outcome.log.filter((l) => !/^Run with --help/.test(l)).at(-1) ?? '';

  if (outcome.code !== want.code) problems.push(`exit ${outcome.code}, expected ${want.code} (last stderr line: ${last})`);
  if (want.code === 0) {
    if (!outcome.log.some((line) => matches(line, want.message))) problems.push(`no stderr line matches ${want.message}; got:\n  ${outcome.log.join('\n  ')}`);
  } else {
    if (!matches(errorLine, want.message)) problems.push(`the error line does not match ${want.message}: ${errorLine}`);
    if (want.code !== 1 && /\n|^Unexpected error/.test(errorLine)) problems.push(`the error is not one line, or has a stack: ${errorLine}`);
  }

  const after = outcome.after;
  const inputs = [...before.files.keys()].filter(subject.isInput);
  for (const path of inputs) {
    const was = before.files.get(path)!;
    const now = after.files.get(path);
    if (!now) problems.push(`input ${rel(path)} was removed`);
    else if (!now.equals(was)) problems.push(`input ${rel(path)} was changed (${was.length} -> ${now.length} bytes)`);
  }

  switch (want.writes) {
    case 'none': {
      if (c.expect.plain) problems.push('a plain run logs no operations: it cannot show that nothing was written');
      const writes = [...outcome.ops.map((op) => `${op.kind} ${rel(op.path)}${op.to ? ` -> ${rel(op.to)}` : ''}`), ...outcome.realChanges.map((p) => `changed ${rel(p)}`)];
      if (writes.length) problems.push(`wrote before refusing: ${writes.join(', ')}`);
      problems.push(...diffSnapshots(before, after).map((d) => `not left as it was: ${d}`));
      break;
    }
    case 'unchanged': {
      // A lock whose holder is dead may be taken over and released on the way out (G8); a live one never.
      const staleLockGone = (d: string) => alive.length === 0 && /^missing \S+\.lock$/.test(d);
      problems.push(...diffSnapshots(before, after).filter((d) => !staleLockGone(d)).map((d) => `not left as it was: ${d}`));
      break;
    }
    case 'progress': {
      for (const path of changedPaths(before, after)) if (path !== subject.checkpoint) problems.push(`only the checkpoint may move, but ${rel(path)} changed`);
      const again = await subject.tool.run(after, c.args);
      if (again.code !== outcome.code || again.log.at(-1) !== last) problems.push(`a rerun does not refuse the same way: exit ${again.code}: ${again.log.at(-1)}`);
      break;
    }
    case 'complete':
      problems.push(...(await checkComplete(subject, c, before, outcome)));
      break;
    case 'resumable': {
      const rerun = await subject.tool.run(after, c.args);
      if (rerun.code !== 0) problems.push(`the rerun without the fault exited ${rerun.code}: ${rerun.log.at(-1)}`);
      else problems.push(...(await sameAsReference(subject, c, before, rerun.after)));
      break;
    }
  }
  return { problems, outcome };
}

async function checkComplete(subject: Subject, c: BatteryCase, before: Snapshot, outcome: Outcome): Promise<string[]> {
  const problems: string[] = [];
  const after = outcome.after;
  for (const a of c.artifacts ?? subject.artifacts) if (!after.files.has(a)) problems.push(`artifact ${rel(a)} is missing`);
  if (!subject.checkpointKept && after.files.has(subject.checkpoint)) problems.push(`checkpoint ${rel(subject.checkpoint)} was not cleared`);
  const temps = [...after.files.keys()].filter((p) => p.endsWith('.tmp'));
  if (temps.length) problems.push(`temp files left: ${temps.map(rel).join(', ')}`);
  if (outcome.code !== 0) return problems;

  // A world that held more than the inputs (a stale checkpoint, a lock): the same bytes as a clean run.
  if ([...before.files.keys()].some((p) => !subject.isInput(p))) problems.push(...(await sameAsReference(subject, c, before, after)));
  if (c.expect.sameAsSample && subject.sampleArtifacts) {
    const sample = await subject.sampleArtifacts();
    for (const [path, bytes] of sample) {
      const got = after.files.get(path);
      if (!bytes || !got || !got.equals(bytes)) problems.push(`artifact ${rel(path)} differs from the plain sample's (${got ? sha(got) : 'missing'} vs ${bytes ? sha(bytes) : 'missing'})`);
    }
  }
  if (c.expect.crashResume) {
    const clean = cleanWorld(subject, before);
    const first = await subject.tool.run(clean, c.args);
    const middle = Math.floor(first.ops.length / 2);
    const crashed = await subject.tool.run(clean, c.args, { crash: { at: middle } });
    let world = crashed.after;
    let code: number | 'crashed' = crashed.code;
    for (let i = 0; i < 3 && code !== 0; i++) {
      const r = await subject.tool.run(world, c.args);
      code = r.code;
      world = r.after;
    }
    if (code !== 0) problems.push(`after a crash at operation ${middle}, the resume exited ${code}`);
    else problems.push(...compareArtifacts(c.artifacts ?? subject.artifacts, first.after, world, `after a crash at operation ${middle} and a resume`));
  }
  return problems;
}

/** The world with only its inputs: what an uninterrupted run starts from. */
function cleanWorld(subject: Subject, world: Snapshot): Snapshot {
  return { files: new Map([...world.files].filter(([p]) => subject.isInput(p))), dirs: world.dirs };
}

async function sameAsReference(subject: Subject, c: BatteryCase, before: Snapshot, after: Snapshot): Promise<string[]> {
  const reference = await subject.tool.run(cleanWorld(subject, before), c.args);
  if (reference.code !== 0) return [`the uninterrupted reference run exited ${reference.code}: ${reference.log.at(-1)}`];
  return compareArtifacts(c.artifacts ?? subject.artifacts, reference.after, after, 'compared with an uninterrupted run');
}

function compareArtifacts(artifacts: string[], expected: Snapshot, actual: Snapshot, how: string): string[] {
  const problems: string[] = [];
  for (const a of artifacts) {
    const want = expected.files.get(a);
    const got = actual.files.get(a);
    if (!want || !got) {
      if (want !== got) problems.push(`artifact ${rel(a)} ${got ? 'exists' : 'is missing'} ${how}`);
    } else if (!want.equals(got)) problems.push(`artifact ${rel(a)} differs ${how} (${got.length} bytes, expected ${want.length})`);
  }
  return problems;
}

/** Files added, removed or changed between two worlds. */
export function changedPaths(before: Snapshot, after: Snapshot): string[] {
  const paths = new Set([...before.files.keys(), ...after.files.keys()]);
  return [...paths].filter((p) => {
    const a = before.files.get(p);
    const b = after.files.get(p);
    return !a || !b || !a.equals(b);
  });
}

/** A message of project.json names files relative to the project folder: `/p/data/x` reads as `data/x`. */
function matches(line: string, pattern: RegExp | string): boolean {
  const relative = line.split(`${ROOT}/`).join('');
  return typeof pattern === 'string' ? line.includes(pattern) || relative.includes(pattern) : pattern.test(line) || pattern.test(relative);
}
