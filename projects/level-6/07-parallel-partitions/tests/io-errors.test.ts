// G9: disk full, permission denied and a failed fsync surface as exit 74 or 73; no checkpoint
// advances past what is durable, nothing already saved is lost, and a rerun finishes the job.
import { describe, expect, it } from 'vitest';
import { resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { checkpointIn, PATHS, sampleFiles, tool } from './tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;

describe('I/O errors while running', () => {
  it.each([100, 1500, 3000, 5000])('exits 74 when the disk fills after %i bytes, keeps every saved checkpoint, and a rerun finishes', async (limit) => {
    const full = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { enospcAfterBytes: limit });
    expect(full.code).toBe(74);
    expect(full.env.log.at(-1)).toMatch(/^Error: I\/O error while running: ENOSPC: no space left on device/);
    for (const p of [0, 1, 2]) {
      // What each partition's checkpoint says is what the log last reported for it.
      const saved = checkpointIn(full.after.files, p);
      const logged = full.env.log.filter((l) => l.startsWith(`Partition ${p}: checkpoint saved`)).at(-1);
      if (saved) expect(logged).toContain(`at item ${saved.next_item} of 7`);
      else expect(logged).toBeUndefined();
    }
    expect(full.after.files.has(PATHS.lock)).toBe(false);
    expect(await resumeToEnd(tool(), full.after, reference)).toBeUndefined();
  });

  it('exits 74 when fsync fails in one partition; the others stop at a saved checkpoint, and that batch is never counted', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eioOnFsync: (p) => p === PATHS.staged(1) });
    expect(r.code).toBe(74);
    expect(r.env.log.at(-1)).toMatch(/EIO/);
    expect(r.after.files.has(PATHS.checkpoint(1))).toBe(false);
    // Partitions 0 and 2 finished the batch they were on, saved it, and stopped.
    expect(checkpointIn(r.after.files, 0)!.next_item).toBe(3);
    expect(checkpointIn(r.after.files, 2)!.next_item).toBe(3);
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });

  it('exits 73 when the output cannot be written, keeping the finished checkpoints so a rerun only merges', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith(PATHS.output) });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe(`Error: Cannot write output ${PATHS.output} (EACCES); the checkpoints are kept, fix the cause and rerun to finish`);
    for (const p of [0, 1, 2]) expect(checkpointIn(r.after.files, p)!.next_item).toBe(7);
    const rerun = await runOnVolume(tool(), volumeFromSnapshot(r.after));
    expect(rerun.code).toBe(0);
    expect(rerun.rec.ops.filter((op) => op.kind === 'write' && op.path.endsWith('.staged.jsonl'))).toEqual([]);
    expect(rerun.env.log).toContain('Partition 1: 7 items, all done already');
    expect(rerun.after.files.get(PATHS.output)!.equals(reference.files.get(PATHS.output)!)).toBe(true);
  });

  it('exits 73 before any write when the checkpoint folder is read-only', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith(PATHS.dir) });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe(`Error: Output folder ${PATHS.dir} is not writable; check its permissions`);
    expect(r.rec.ops).toEqual([]);
  });
});
