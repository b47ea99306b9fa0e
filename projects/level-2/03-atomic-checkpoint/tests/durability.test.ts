// G6 and G10 read off the operation log: the order of writes, fsyncs and renames is the
// guarantee, so the tests check the order itself, and what a power loss would leave.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, POWER_LOSS_KINDS, runOnVolume, seedVolume, snapshotVolume, type Operation } from '../../../../test/kit/index.ts';
import { args, paths, RECORDS, SOURCE_NAMES, sampleFiles, tool } from './tool.ts';

const run = await runOnVolume(tool(), seedVolume(sampleFiles()));
const ops = run.rec.ops;
const batches = (source: string) => Math.ceil(RECORDS[source]! / 4);
/** The index of the last operation before `end` that matches, or -1 (tsconfig targets ES2022: no findLastIndex). */
function lastBefore(end: number, match: (op: Operation) => boolean): number {
  for (let i = end - 1; i >= 0; i--) if (match(ops[i]!)) return i;
  return -1;
}

describe('the checkpoint file', () => {
  it('lives at data/staging/source=<name>/.checkpoint.json and holds the guide\'s six fields', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '9')), seedVolume(sampleFiles()));
    const text = crashed.after.files.get(paths('bbc').checkpoint)!.toString();
    expect(JSON.parse(text)).toEqual({
      last_index: 8,
      processed_count: 7, // one of the first eight bbc records (index 2) has no text and is dropped
      timestamp: '2026-11-25T12:00:02.000Z',
      run_id: 'run-2026-11-25T12:00:00.000Z',
      source: 'bbc',
      schema_version: 1,
    });
    expect(Object.keys(JSON.parse(text))).toEqual(['last_index', 'processed_count', 'timestamp', 'run_id', 'source', 'schema_version']);
  });

  it('is written as a temp file, fsynced, renamed over the checkpoint, then the folder is fsynced', () => {
    for (const source of SOURCE_NAMES) {
      const { checkpoint, temp, dir } = paths(source);
      const renames = ops.filter((op) => op.kind === 'rename' && op.path === temp);
      expect(renames, source).toHaveLength(batches(source));
      for (const rename of renames) {
        expect(rename.to).toBe(checkpoint);
        expect(ops.slice(rename.seq - 3, rename.seq).map((op) => `${op.kind} ${op.path}`)).toEqual([`open ${temp}`, `write ${temp}`, `fsync ${temp}`]);
        expect(ops[rename.seq + 1]).toMatchObject({ kind: 'fsync', path: dir, dir: true });
      }
    }
  });

  it('is deleted once every source is staged, and the deletion is made durable', () => {
    for (const source of SOURCE_NAMES) {
      const unlink = ops.find((op) => op.kind === 'unlink' && op.path === paths(source).checkpoint)!;
      expect(unlink, source).toBeDefined();
      expect(ops[unlink.seq + 1]).toMatchObject({ kind: 'fsync', path: paths(source).dir, dir: true });
      // after the last batch of the last source: a crash in a later source never restarts an earlier one
      expect(unlink.seq).toBeGreaterThan(lastBefore(ops.length, (op) => op.kind === 'rename'));
    }
  });
});

describe('durability (G6)', () => {
  it('makes each batch of staged records durable before the checkpoint that counts it', () => {
    for (const source of SOURCE_NAMES) {
      const { staged, temp } = paths(source);
      for (const rename of ops.filter((op) => op.kind === 'rename' && op.path === temp)) {
        const lastSync = lastBefore(rename.seq, (op) => op.kind === 'fsync' && op.path === staged);
        const lastWrite = lastBefore(rename.seq, (op) => op.kind === 'write' && op.path === staged);
        expect(lastSync, `${source} before op ${rename.seq}`).toBeGreaterThan(lastWrite);
      }
    }
  });

  it.each(POWER_LOSS_KINDS)('loses nothing when the power fails right after a run reports success (%s)', (kind) => {
    expect(diffSnapshots(snapshotVolume(run.rec.vol), run.rec.powerLossImage(kind))).toEqual([]);
  });
});

describe('linear cost (G10)', () => {
  it('appends each batch once and never rewrites earlier staged records', () => {
    for (const source of SOURCE_NAMES) {
      const writes = ops.filter((op) => op.kind === 'write' && op.path === paths(source).staged);
      expect(writes.length, source).toBeLessThanOrEqual(batches(source));
      const total = writes.reduce((n, op) => n + op.bytes!, 0);
      expect(total).toBe(run.after.files.get(paths(source).staged)!.length);
    }
    expect(ops.filter((op) => op.kind === 'truncate')).toEqual([]);
  });

  it('keeps the checkpoint the same size however far the run has got', () => {
    const sizes = ops.filter((op) => op.kind === 'write' && op.path.endsWith('.checkpoint.json.tmp')).map((op) => op.bytes!);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(12);
  });
});
