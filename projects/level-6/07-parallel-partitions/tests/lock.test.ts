// G8: one writer. Two runs at once would write the same partition files and corrupt each
// other (seed 000 says so and prevents nothing). A second run is refused with exit 75 and
// told who holds the lock; a lock left by a run that died is reported and taken over.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot, type KitEnv } from '../../../../test/kit/index.ts';
import { main } from '../src/main.ts';
import { args, depsFor, PATHS, sampleFiles, tool } from './tool.ts';

describe('the lock', () => {
  it('refuses a second run while the holder is alive, naming it, with exit 75 and no change', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.lock]: '{"pid":4242,"started_at":"2026-11-25T11:00:00.000Z"}\n' });
    const before = snapshotVolume(vol);
    const holderAlive = (env: KitEnv) => main(args(), { ...depsFor(env), isAlive: (pid) => pid === 4242 });
    const r = await runOnVolume(holderAlive, vol);
    expect(r.code).toBe(75);
    expect(r.env.log).toEqual([`Error: Another run (pid 4242) holds the lock ${PATHS.lock}; wait for it to finish`]);
    expect(diffSnapshots(before, r.after)).toEqual([]);
  });

  it('refuses a second run in the middle of a first one, and leaves the first one able to finish', async () => {
    // The first run crashed part-way (its checkpoints are there); pretend its pid is alive.
    const first = await runOnVolume(tool(args('--simulate-crash', '8')), seedVolume(sampleFiles()));
    const holder = JSON.parse(first.after.files.get(PATHS.lock)!.toString()).pid as number;
    const second = await runOnVolume((env) => main(args(), { ...depsFor(env), isAlive: (pid) => pid === holder }), volumeFromSnapshot(first.after));
    expect(second.code).toBe(75);
    expect(diffSnapshots(first.after, second.after)).toEqual([]);
    const finished = await runOnVolume(tool(), volumeFromSnapshot(second.after));
    const clean = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(finished.after.files.get(PATHS.output)!.equals(clean.after.files.get(PATHS.output)!)).toBe(true);
  });

  it('takes over a lock whose holder is dead, and says so', async () => {
    const r = await runOnVolume(tool(), seedVolume({ ...sampleFiles(), [PATHS.lock]: '{"pid":4242}\n' }));
    expect(r.code).toBe(0);
    expect(r.env.log[0]).toBe(`Lock ${PATHS.lock} was left by pid 4242, which is not running; taking it over`);
    expect(r.after.files.has(PATHS.lock)).toBe(false);
  });

  it('takes over an empty lock left by a run that died while writing it', async () => {
    const r = await runOnVolume(tool(), seedVolume({ ...sampleFiles(), [PATHS.lock]: '' }));
    expect(r.code).toBe(0);
    expect(r.env.log[0]).toMatch(/left by a run that died while taking it/);
  });

  it('is taken before anything else is written and released after everything else', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(r.rec.ops.filter((op) => op.path === PATHS.lock).map((op) => op.kind)).toEqual(['open', 'write', 'unlink']);
    expect(r.rec.ops[0]!.path).toBe(PATHS.lock);
    expect(r.rec.ops.at(-1)!.path).toBe(PATHS.lock);
  });

  it('is released when the run fails, so the next run is not told to wait', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.manifest]: 'not json' });
    const r = await runOnVolume(tool(), vol);
    expect(r.code).toBe(65);
    expect(r.after.files.has(PATHS.lock)).toBe(false);
  });
});
