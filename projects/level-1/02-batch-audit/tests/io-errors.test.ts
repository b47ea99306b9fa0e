// G9: disk full or permission denied exits 73 (before the first post) or 74 (while running),
// the checkpoint does not advance past rows that are not written, nothing already written is
// lost, and a rerun once the disk is fixed finishes byte-identical.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, resumeToEnd, runOnVolume, seedVolume, snapshotVolume, type ToolRun } from '../../../../test/kit/index.ts';
import { main } from '../src/main.ts';
import { args, depsFor, fileOf, PATHS, sampleFiles, tool } from './tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;
const totalBytes = (await runOnVolume(tool(), seedVolume(sampleFiles()))).rec.ops.reduce((n, op) => n + (op.kind === 'unlink' || op.kind === 'rename' ? 0 : (op.bytes ?? 0)), 0);
// About 40 byte limits spread from 0 to the end (an odd step, so they land in the header, in
// rows and in checkpoint saves, not always on a boundary).
const step = Math.ceil(totalBytes / 40) | 1;
const limits = Array.from({ length: Math.ceil(totalBytes / step) + 1 }, (_, i) => i * step);

describe('a full disk', () => {
  it(`fails cleanly at each of ${limits.length} byte limits and a rerun finishes byte-identical`, async () => {
    let failures = 0;
    for (const limit of limits) {
      const full = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { enospcAfterBytes: limit });
      if (full.code === 0) continue; // the limit was past the last write
      failures++;
      expect([73, 74], `limit ${limit}`).toContain(full.code);
      expect(full.env.log.at(-1), `limit ${limit}`).toMatch(/ENOSPC/);
      const checkpoint = fileOf(full.after, PATHS.checkpoint);
      if (checkpoint !== undefined) expect(checkpoint, `limit ${limit}`).toMatch(/^\d+\n$/);
      expect(await resumeToEnd(tool(), full.after, reference), `limit ${limit}`).toBeUndefined();
    }
    expect(failures).toBeGreaterThan(limits.length / 2);
  });

  it('exits 73 with nothing left behind when even the header does not fit', async () => {
    const vol = seedVolume(sampleFiles());
    const before = snapshotVolume(vol);
    const full = await runOnVolume(tool(), vol, undefined, { enospcAfterBytes: 5 });
    expect(full.code).toBe(73);
    expect(full.env.log.at(-1)).toMatch(/^Error: Results file \/work\/data\/results.csv cannot be created \(ENOSPC\)/);
    expect(diffSnapshots(before, snapshotVolume(vol))).toEqual([]);
  });
});

describe('permission denied', () => {
  it('on the results file exits 73 before the first post and leaves the folder as it was', async () => {
    const vol = seedVolume(sampleFiles());
    const before = snapshotVolume(vol);
    const denied = await runOnVolume(tool(), vol, undefined, { eacces: (p) => p === PATHS.output });
    expect(denied.code).toBe(73);
    expect(denied.env.log.at(-1)).toMatch(/cannot be created \(EACCES\)/);
    expect(diffSnapshots(before, snapshotVolume(vol))).toEqual([]);
  });

  it('on the data folder exits 73 before anything is written', async () => {
    const denied = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p === '/work/data' });
    expect(denied.code).toBe(73);
    expect(denied.env.log.at(-1)).toBe('Error: Output folder /work/data is not writable; check its permissions');
  });

  it('lost mid-run exits 74, keeps the last checkpoint, and a rerun finishes byte-identical', async () => {
    let armed = false;
    const losesPermission: ToolRun = (env) =>
      main(args(), {
        ...depsFor(env),
        log: (line) => {
          env.log.push(line);
          if (line.startsWith('Checkpoint saved at index 20 ')) armed = true; // from now on saves fail
        },
      });
    const denied = await runOnVolume(losesPermission, seedVolume(sampleFiles()), undefined, { eacces: (p) => armed && p === PATHS.temp });
    expect(denied.code).toBe(74);
    expect(denied.env.log.at(-1)).toMatch(/^Error: I\/O error while running: EACCES.*the last checkpoint is intact/);
    expect(fileOf(denied.after, PATHS.checkpoint)).toBe('20\n');
    expect(denied.after.files.has(PATHS.temp)).toBe(false);
    expect(await resumeToEnd(tool(), denied.after, reference)).toBeUndefined();
  });
});
