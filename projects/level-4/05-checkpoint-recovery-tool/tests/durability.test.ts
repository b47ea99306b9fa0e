// G6 and G10 read off the operation log: the order of writes, fsyncs and renames is the
// guarantee, so the tests check the order itself.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, type Operation } from '../../../../test/kit/index.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

const run = await runOnVolume(tool(), seedVolume(sampleFiles()));
const ops = run.rec.ops;
const tmp = `${PATHS.checkpoint}.tmp`;
const indexOf = (pred: (op: Operation) => boolean, from = 0) => ops.findIndex((op, i) => i >= from && pred(op));

describe('durability (G6)', () => {
  it('fsyncs the checkpoint temp file before renaming it, and the folder after', () => {
    const renames = ops.filter((op) => op.kind === 'rename' && op.path === tmp);
    expect(renames).toHaveLength(7);
    for (const rename of renames) {
      expect(ops[rename.seq - 1]).toMatchObject({ kind: 'fsync', path: tmp });
      expect(ops[rename.seq + 1]).toMatchObject({ kind: 'fsync', path: '/work/data', dir: true });
    }
  });

  it('makes each batch of results durable before the checkpoint that counts it', () => {
    for (const rename of ops.filter((op) => op.kind === 'rename' && op.path === tmp)) {
      const lastStagedSync = ops.slice(0, rename.seq).findLastIndex((op) => op.kind === 'fsync' && op.path === PATHS.staged);
      const lastStagedWrite = ops.slice(0, rename.seq).findLastIndex((op) => op.kind === 'write' && op.path === PATHS.staged);
      expect(lastStagedSync).toBeGreaterThan(lastStagedWrite);
    }
  });

  it('writes the output durably before clearing the checkpoint', () => {
    const outputRename = indexOf((op) => op.kind === 'rename' && op.to === PATHS.output);
    const clear = indexOf((op) => op.kind === 'unlink' && op.path === PATHS.checkpoint);
    expect(outputRename).toBeGreaterThan(0);
    expect(ops[outputRename + 1]).toMatchObject({ kind: 'fsync', dir: true });
    expect(clear).toBeGreaterThan(outputRename);
  });
});

describe('linear cost (G10)', () => {
  it('appends each batch once and never rewrites earlier results', () => {
    const stagedWrites = ops.filter((op) => op.kind === 'write' && op.path === PATHS.staged);
    expect(stagedWrites).toHaveLength(7);
    expect(ops.filter((op) => op.kind === 'truncate')).toEqual([]);
  });

  it('keeps the checkpoint the same size however far the run has got', () => {
    const sizes = ops.filter((op) => op.kind === 'write' && op.path === tmp).map((op) => op.bytes as number);
    expect(sizes).toHaveLength(7);
    // Only the counters' digits grow; the seed's checkpoint grew by every result saved.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(8);
  });
});
