// G9: disk full, permission denied and a failed fsync surface as exit 74 or 73; the checkpoint
// does not advance past durable output and nothing it counts is lost, so a rerun finishes.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, resumeToEnd, runOnVolume, seedVolume, snapshotVolume } from '../../../../test/kit/index.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;

describe('I/O errors while running', () => {
  it.each([50, 400, 900, 1500, 2500])('exits 74 when the disk fills after %i bytes, keeps the last checkpoint, and a rerun finishes', async (limit) => {
    const full = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { enospcAfterBytes: limit });
    expect(full.code).toBe(74);
    expect(full.env.log.at(-1)).toMatch(/^Error: I\/O error while running: ENOSPC: no space left on device/);
    const saved = full.after.files.get(PATHS.checkpoint);
    const lastLogged = full.env.log.filter((l) => l.startsWith('Checkpoint saved')).at(-1);
    if (saved) {
      const cp = JSON.parse(saved.toString());
      expect(lastLogged).toContain(`line ${cp.lines_done} `);
      // what the checkpoint counts is in the output, byte for byte
      const out = full.after.files.get(PATHS.output)!;
      expect(out.subarray(0, cp.output_bytes).equals(reference.files.get(PATHS.output)!.subarray(0, cp.output_bytes))).toBe(true);
    } else expect(lastLogged).toBeUndefined();
    expect(full.after.files.has(PATHS.temp)).toBe(false);
    expect(await resumeToEnd(tool(), full.after, reference)).toBeUndefined();
  });

  it('exits 74 when fsync of the output fails, before any checkpoint counts the unsynced lines', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eioOnFsync: (p) => p === PATHS.output });
    expect(r.code).toBe(74);
    expect(r.after.files.has(PATHS.checkpoint)).toBe(false);
    expect(r.env.log.at(-1)).toMatch(/EIO/);
  });

  it('exits 74 when the checkpoint cannot be saved mid-run, and the old checkpoint stands', async () => {
    const vol = seedVolume(sampleFiles());
    // permission lost once the first checkpoint is in place: the second save cannot make its temp file
    const r = await runOnVolume(tool(), vol, undefined, { eacces: (p) => p === PATHS.temp && vol.existsSync(PATHS.checkpoint) });
    expect(r.code).toBe(74);
    expect(r.env.log.at(-1)).toMatch(/EACCES/);
    expect(JSON.parse(r.after.files.get(PATHS.checkpoint)!.toString()).lines_done).toBe(4);
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });

  it('exits 73 when the output cannot be created, and writes nothing', async () => {
    const vol = seedVolume(sampleFiles());
    const before = snapshotVolume(vol);
    const r = await runOnVolume(tool(), vol, undefined, { eacces: (p) => p === PATHS.output });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe(`Error: Output ${PATHS.output} cannot be created (EACCES); check the folder's permissions and free space`);
    expect(diffSnapshots(before, r.after)).toEqual([]);
  });

  it('exits 73 before any write when the folder is read-only', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith(PATHS.dir) });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toBe(`Error: Output folder ${PATHS.dir} is not writable; check its permissions`);
    expect(r.rec.ops).toEqual([]);
  });
});
