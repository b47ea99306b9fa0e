// Alter it, task 2: `--only <name>` (repeatable) stages only the named sources and leaves every
// file of the others exactly as it was.
import { describe, expect, it } from 'vitest';
import { diffSnapshots, resumeToEnd, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, paths, sampleFiles, tool } from '../tests/tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;
const only = (...names: string[]) => tool(args(...names.flatMap((n) => ['--only', n])));

describe('--only', () => {
  it('stages only the named source, byte-identical to a full run', async () => {
    const r = await runOnVolume(only('tiktok'), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(r.after.files.get(paths('tiktok').staged)!.equals(reference.files.get(paths('tiktok').staged)!)).toBe(true);
    expect(r.after.files.has(paths('bbc').staged)).toBe(false);
    expect(r.after.files.has(paths('wikipedia').staged)).toBe(false);
    expect(Object.keys(JSON.parse(r.env.out.join('')).sources)).toEqual(['tiktok']);
  });

  it('takes several names', async () => {
    const r = await runOnVolume(only('wikipedia', 'bbc'), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.env.out.join('')).sources)).toEqual(['bbc', 'wikipedia']);
    expect(r.after.files.has(paths('tiktok').staged)).toBe(false);
  });

  it('leaves another source\'s unfinished checkpoint and staged file exactly as they were', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '10')), seedVolume(sampleFiles()));
    const r = await runOnVolume(only('tiktok'), volumeFromSnapshot(crashed.after));
    expect(r.code).toBe(0);
    for (const path of [paths('bbc').checkpoint, paths('bbc').staged]) {
      expect(r.after.files.get(path)!.equals(crashed.after.files.get(path)!), path).toBe(true);
    }
    expect(r.rec.ops.filter((op) => op.path.startsWith(paths('bbc').dir))).toEqual([]);
    // and a full run afterwards finishes bbc where it stopped
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });

  it('refuses an unknown source with exit 2, naming the ones there are, before any write', async () => {
    const vol = seedVolume(sampleFiles());
    const before = snapshotVolume(vol);
    const r = await runOnVolume(only('bbc', 'reuters'), vol);
    expect(r.code).toBe(2);
    expect(r.env.log[0]).toBe("Error: --only reuters: no such source in /work/data/sample_sources (there are: bbc, tiktok, wikipedia)");
    expect(diffSnapshots(before, r.after)).toEqual([]);
    expect(r.rec.ops).toEqual([]);
  });
});
