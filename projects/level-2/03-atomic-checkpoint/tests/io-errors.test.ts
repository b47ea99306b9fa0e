// G9: disk full, permission denied and a failed fsync surface as exit 74 or 73; the checkpoint
// does not advance past what is on disk, nothing already saved is lost, and a rerun finishes.
// (The seed ignored errors while saving a checkpoint.)
import { describe, expect, it } from 'vitest';
import { resumeToEnd, runOnVolume, seedVolume, type KitEnv } from '../../../../test/kit/index.ts';
import { main } from '../src/main.ts';
import { args, depsFor, paths, SOURCE_NAMES, sampleFiles, STAGING, tool } from './tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;

/** Each source's checkpoint must count no more staged lines than its staged file holds. */
function checkpointsMatchStagedFiles(after: typeof reference): void {
  for (const source of SOURCE_NAMES) {
    const { checkpoint, staged } = paths(source);
    const saved = after.files.get(checkpoint);
    if (!saved) continue;
    const lines = after.files.get(staged)!.toString().split('\n').length - 1;
    expect(lines, source).toBeGreaterThanOrEqual(JSON.parse(saved.toString()).processed_count);
  }
}

describe('I/O errors while running', () => {
  it.each([200, 1500, 3000, 5000])('exits 74 when the disk fills after %i bytes, keeps the last checkpoint, and a rerun finishes', async (limit) => {
    const full = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { enospcAfterBytes: limit });
    expect(full.code).toBe(74);
    expect(full.env.log.at(-1)).toMatch(/^Error: I\/O error while staging \w+: ENOSPC: no space left on device.*; its last checkpoint is intact, fix the cause and rerun to resume$/);
    expect(full.env.out).toEqual([]);
    checkpointsMatchStagedFiles(full.after);
    expect(await resumeToEnd(tool(), full.after, reference)).toBeUndefined();
  });

  it.each(['records.jsonl', '.checkpoint.json.tmp'])('exits 74 when fsync of %s fails, before any checkpoint counts the unsynced batch', async (name) => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eioOnFsync: (p) => p.endsWith(name) });
    expect(r.code).toBe(74);
    expect(r.env.log.at(-1)).toMatch(/EIO: i\/o error, fsync/);
    // the first batch of the first source never got a checkpoint
    expect(r.after.files.has(paths('bbc').checkpoint)).toBe(false);
    expect(r.env.log.some((l) => l.includes('Checkpoint saved'))).toBe(false);
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });

  it('exits 74 when fsync of the folder fails after a rename, and a rerun finishes', async () => {
    // tiktok's folder is fsynced once when its staged file is created, then after each rename
    let folderSyncs = 0;
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eioOnFsync: (p) => p === paths('tiktok').dir && ++folderSyncs === 2 });
    expect(r.code).toBe(74);
    expect(r.env.log.some((l) => l.startsWith('[tiktok] Checkpoint saved'))).toBe(false);
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });

  it('exits 73 when a source\'s staging folder cannot be created, having staged the sources before it', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()), undefined, { eacces: (p) => p.startsWith(paths('tiktok').dir) });
    expect(r.code).toBe(73);
    expect(r.env.log.at(-1)).toMatch(/^Error: Cannot create the staging files of source tiktok in .*source=tiktok \(EACCES: permission denied, mkdir/);
    expect(JSON.parse(r.after.files.get(paths('bbc').checkpoint)!.toString()).last_index).toBe(14);
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });

  it('exits 73 when the staging folder is read-only, before staging anything', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles(), [STAGING]), undefined, { eacces: (p) => p.startsWith(STAGING) });
    expect(r.code).toBe(73);
    expect(r.rec.ops.filter((op) => op.kind === 'write')).toEqual([]);
  });

  it('exits 74 when permission is lost mid-run on the checkpoint, and a rerun finishes', async () => {
    let revoked = false;
    const losesPermission = (env: KitEnv) =>
      main(args(), {
        ...depsFor(env),
        log: (line) => {
          env.log.push(line);
          if (line === '[bbc] Checkpoint saved at index 4 (28.6%)') revoked = true;
        },
      });
    const r = await runOnVolume(losesPermission, seedVolume(sampleFiles()), undefined, { eacces: (p) => revoked && p.startsWith(paths('bbc').dir) });
    expect(r.code).toBe(74);
    expect(JSON.parse(r.after.files.get(paths('bbc').checkpoint)!.toString()).last_index).toBe(4);
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });
});
