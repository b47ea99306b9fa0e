// G6 and G10 read off the operation log: the order of writes, fsyncs and renames is the
// guarantee, so these tests check the order itself, and what a power loss leaves.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, type Operation } from '../../../../test/kit/index.ts';
import { args, PATHS, sampleFiles, SAMPLE_LINES, tool } from './tool.ts';

const run = await runOnVolume(tool(), seedVolume(sampleFiles()));
const ops = run.rec.ops;
const reference = run.after.files.get(PATHS.output)!;
const renames = ops.filter((op) => op.kind === 'rename' && op.path === PATHS.temp);
/** The index of the last operation before `seq` that matches, or -1. */
function lastBefore(seq: number, pred: (op: Operation) => boolean): number {
  for (let i = seq - 1; i >= 0; i--) if (pred(ops[i]!)) return i;
  return -1;
}

describe('durability (G6)', () => {
  it('fsyncs the checkpoint temp file before renaming it, and the folder after', () => {
    expect(renames).toHaveLength(5);
    for (const rename of renames) {
      expect(ops[rename.seq - 1]).toMatchObject({ kind: 'fsync', path: PATHS.temp });
      expect(ops[rename.seq + 1]).toMatchObject({ kind: 'fsync', path: PATHS.dir, dir: true });
    }
  });

  it('makes every output line durable before the checkpoint that counts it', () => {
    for (const rename of renames) {
      const lastSync = lastBefore(rename.seq, (op) => op.kind === 'fsync' && op.path === PATHS.output);
      const lastWrite = lastBefore(rename.seq, (op) => op.kind === 'write' && op.path === PATHS.output);
      expect(lastSync).toBeGreaterThan(lastWrite);
    }
  });

  it('makes the whole output durable before clearing the checkpoint', () => {
    const clear = ops.findIndex((op) => op.kind === 'unlink' && op.path === PATHS.checkpoint);
    expect(clear).toBeGreaterThan(0);
    expect(lastBefore(clear, (op) => op.kind === 'fsync' && op.path === PATHS.output)).toBeGreaterThan(
      lastBefore(clear, (op) => op.kind === 'write' && op.path === PATHS.output),
    );
    expect(ops[clear + 1]).toMatchObject({ kind: 'fsync', path: PATHS.dir, dir: true });
  });

  it('keeps a saved checkpoint, and the output it counts, through a power loss', async () => {
    // crash after line 6: the checkpoint at line 4 was reported saved; pull the plug there
    const crashed = await runOnVolume(tool(args('--simulate-crash', '6')), seedVolume(sampleFiles()));
    expect(crashed.env.log).toContain('Checkpoint saved at line 4 (19.0%)');
    const image = crashed.rec.powerLossImage('both');
    const checkpoint = JSON.parse(image.files.get(PATHS.checkpoint)!.toString());
    expect(checkpoint.lines_done).toBe(4);
    expect(image.files.get(PATHS.output)!.subarray(0, checkpoint.output_bytes).equals(reference.subarray(0, checkpoint.output_bytes))).toBe(true);
  });

  it('keeps a completed run through a power loss: the whole output, no rerun needed', () => {
    const image = run.rec.powerLossImage('both');
    expect(image.files.get(PATHS.output)!.equals(reference)).toBe(true);
    expect(image.files.has(PATHS.checkpoint)).toBe(false);
  });
});

describe('linear cost (G10)', () => {
  it('writes each output byte once: one append per line, never a rewrite or a cut', () => {
    const writes = ops.filter((op) => op.kind === 'write' && op.path === PATHS.output);
    expect(writes).toHaveLength(SAMPLE_LINES);
    expect(writes.reduce((n, op) => n + op.bytes!, 0)).toBe(reference.length);
    expect(ops.filter((op) => op.kind === 'truncate')).toEqual([]);
  });

  it('keeps the checkpoint the same size however far the run has got', () => {
    const sizes = ops.filter((op) => op.kind === 'write' && op.path === PATHS.temp).map((op) => op.bytes as number);
    expect(sizes).toHaveLength(5);
    // only the counters' digits grow; nothing accumulates in it
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(8);
  });
});
