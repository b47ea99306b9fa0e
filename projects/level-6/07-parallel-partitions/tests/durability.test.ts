// G6 and G10 read off the operation log: the order of writes, fsyncs, renames and unlinks is
// the guarantee, so the tests check the order itself.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, type Operation } from '../../../../test/kit/index.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

const run = await runOnVolume(tool(), seedVolume(sampleFiles()));
const ops = run.rec.ops;
const indexOf = (pred: (op: Operation) => boolean, from = 0) => ops.findIndex((op, i) => i >= from && pred(op));
const lastIndexOf = (pred: (op: Operation) => boolean) => ops.findLastIndex(pred);
const isPartitionFile = (op: Operation) => /\.part-\d+\./.test(op.path);

describe('durability (G6)', () => {
  it("makes the manifest durable (temp, fsync, rename, folder fsync) before any partition file exists", () => {
    const rename = indexOf((op) => op.kind === 'rename' && op.to === PATHS.manifest);
    expect(ops[rename - 1]).toMatchObject({ kind: 'fsync', path: `${PATHS.manifest}.tmp` });
    expect(ops[rename + 1]).toMatchObject({ kind: 'fsync', path: PATHS.dir, dir: true });
    expect(indexOf(isPartitionFile)).toBeGreaterThan(rename + 1);
  });

  it.each([0, 1, 2])("fsyncs partition %i's checkpoint temp file before renaming it, and the folder after", (p) => {
    const renames = ops.filter((op) => op.kind === 'rename' && op.to === PATHS.checkpoint(p));
    expect(renames).toHaveLength(3);
    for (const rename of renames) {
      expect(ops[rename.seq - 1]).toMatchObject({ kind: 'fsync', path: `${PATHS.checkpoint(p)}.tmp` });
      expect(ops[rename.seq + 1]).toMatchObject({ kind: 'fsync', path: PATHS.dir, dir: true });
    }
  });

  it.each([0, 1, 2])('makes each batch of partition %i durable before the checkpoint that counts it', (p) => {
    for (const rename of ops.filter((op) => op.kind === 'rename' && op.to === PATHS.checkpoint(p))) {
      const before = ops.slice(0, rename.seq);
      const lastSync = before.findLastIndex((op) => op.kind === 'fsync' && op.path === PATHS.staged(p));
      const lastWrite = before.findLastIndex((op) => op.kind === 'write' && op.path === PATHS.staged(p));
      expect(lastWrite).toBeGreaterThanOrEqual(0);
      expect(lastSync).toBeGreaterThan(lastWrite);
    }
  });

  it('interleaves the partitions: each one saves a batch before any saves its second', () => {
    const saves = ops.filter((op) => op.kind === 'rename' && isPartitionFile(op)).map((op) => op.to);
    expect(saves.slice(0, 3).sort()).toEqual([0, 1, 2].map(PATHS.checkpoint));
  });

  it('writes the output durably, then marks the manifest merged, then removes the partition files, the manifest last', () => {
    const output = indexOf((op) => op.kind === 'rename' && op.to === PATHS.output);
    expect(ops[output + 1]).toMatchObject({ kind: 'fsync', dir: true });
    const merged = indexOf((op) => op.kind === 'rename' && op.to === PATHS.manifest, output);
    expect(merged).toBeGreaterThan(output);
    const firstUnlink = indexOf((op) => op.kind === 'unlink' && isPartitionFile(op));
    const lastUnlink = lastIndexOf((op) => op.kind === 'unlink' && isPartitionFile(op));
    const manifestUnlink = indexOf((op) => op.kind === 'unlink' && op.path === PATHS.manifest);
    expect(firstUnlink).toBeGreaterThan(merged);
    expect(ops.slice(firstUnlink, lastUnlink + 1).every((op) => op.kind === 'unlink')).toBe(true);
    expect(ops[lastUnlink + 1]).toMatchObject({ kind: 'fsync', dir: true });
    expect(manifestUnlink).toBe(lastUnlink + 2);
    expect(ops[manifestUnlink + 1]).toMatchObject({ kind: 'fsync', dir: true });
  });
});

describe('linear cost (G10)', () => {
  it('appends each batch once to its own partition file, and never rewrites earlier results', () => {
    for (const p of [0, 1, 2]) expect(ops.filter((op) => op.kind === 'write' && op.path === PATHS.staged(p))).toHaveLength(3);
    expect(ops.filter((op) => op.kind === 'truncate')).toEqual([]);
  });

  it('keeps every checkpoint the same size however far its partition has got', () => {
    const sizes = ops.filter((op) => op.kind === 'write' && /\.part-\d\.json\.tmp$/.test(op.path)).map((op) => op.bytes as number);
    expect(sizes).toHaveLength(9);
    // Only the counters' digits grow; the seed's checkpoint grew by every result saved.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(8);
  });
});
