// G9: disk full, permission denied and a failed fsync surface as exit 74 or 73; the checkpoint
// does not advance and nothing already saved is lost, so a rerun finishes the job.
import { describe, expect, it } from 'vitest';
import { resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

async function reference() {
  return (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;
}

describe('I/O errors while running', () => {
  it.each([100, 1000, 2000, 3000])('exits 74 when the disk fills after %i bytes, keeps the last checkpoint, and a rerun finishes', async (limit) => {
    const full = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { enospcAfterBytes: limit });
    expect(full.code).toBe(74);
    expect(full.env.log.at(-1)).toMatch(/^Error: I\/O error while running: ENOSPC: no space left on device/);
    const saved = full.after.files.get(PATHS.checkpoint);
    const lastLogged = full.env.log.filter((l) => l.startsWith('Checkpoint saved')).at(-1);
    if (saved) expect(lastLogged).toContain(`index ${JSON.parse(saved.toString()).next_index} `);
    else expect(lastLogged).toBeUndefined();
    expect(full.after.files.has(`${PATHS.checkpoint}.tmp`)).toBe(false);
    expect(full.after.files.has(PATHS.lock)).toBe(false);
    expect(await resumeToEnd(tool(), full.after, await reference())).toBeUndefined();
  });

  it('exits 74 when fsync fails, before the checkpoint counts the unsynced batch', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eioOnFsync: (p) => p === PATHS.staged });
    expect(r.code).toBe(74);
    expect(r.after.files.has(PATHS.checkpoint)).toBe(false);
    expect(r.env.log.at(-1)).toMatch(/EIO/);
  });

  it('exits 73 when the output cannot be written, keeping the finished checkpoint so a rerun only writes the output', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith(PATHS.output) });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe(`Error: Cannot write output ${PATHS.output} (EACCES); the checkpoint is kept, fix the cause and rerun to finish`);
    expect(JSON.parse(r.after.files.get(PATHS.checkpoint)!.toString()).next_index).toBe(21);
    const rerun = await runOnVolume(tool(), volumeFromSnapshot(r.after));
    expect(rerun.code).toBe(0);
    expect(rerun.rec.ops.filter((op) => op.path === PATHS.staged && op.kind === 'write')).toEqual([]);
    expect(rerun.after.files.get(PATHS.output)!.equals((await reference()).files.get(PATHS.output)!)).toBe(true);
  });

  it('exits 73 before any write when the checkpoint folder is read-only', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith('/work/data') });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe('Error: Output folder /work/data is not writable; check its permissions');
    expect(r.rec.ops).toEqual([]);
  });
});
