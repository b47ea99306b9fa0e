// G8: one writer. A second run is refused with exit 75 and told who holds the lock; a lock
// left by a run that died is reported and taken over.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, runOnVolume, seedVolume, snapshotVolume, type KitEnv } from '../../../../test/kit/index.ts';
import { main } from '../src/main.ts';
import { args, depsFor, PATHS, sampleFiles, tool } from './tool.ts';

describe('the lock', () => {
  it('refuses a second run while the holder is alive, naming it, with exit 75 and no change', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.lock]: '{"pid":4242,"started_at":"2026-11-25T11:00:00.000Z"}\n' });
    const before = snapshotVolume(vol);
    const holderAlive = (env: KitEnv) => main(args(), { ...depsFor(env), isAlive: (pid) => pid === 4242 });
    const r = await runOnVolume(holderAlive, vol);
    expect(r.code).toBe(75);
    expect(r.env.log.at(-1)).toBe(`Error: Another run (pid 4242) holds the lock ${PATHS.lock}; wait for it to finish`);
    expect(diffSnapshots(before, r.after)).toEqual([]);
  });

  it('takes over a lock whose holder is dead, and says so', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.lock]: '{"pid":4242}\n' });
    const r = await runOnVolume(tool(), vol);
    expect(r.code).toBe(0);
    expect(r.env.log[0]).toBe(`Lock ${PATHS.lock} was left by pid 4242, which is not running; taking it over`);
    expect(r.after.files.has(PATHS.lock)).toBe(false);
  });

  it('takes over an empty lock left by a run that died while writing it', async () => {
    const r = await runOnVolume(tool(), seedVolume({ ...sampleFiles(), [PATHS.lock]: '' }));
    expect(r.code).toBe(0);
    expect(r.env.log[0]).toMatch(/left by a run that died while taking it/);
  });

  it('is held during the run and released at the end', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()));
    const lockOps = r.rec.ops.filter((op) => op.path === PATHS.lock).map((op) => op.kind);
    expect(lockOps).toEqual(['open', 'write', 'unlink']);
    expect(r.rec.ops[0]!.path).toBe(PATHS.lock);
    expect(r.rec.ops.at(-1)!.path).toBe(PATHS.lock);
  });
});
