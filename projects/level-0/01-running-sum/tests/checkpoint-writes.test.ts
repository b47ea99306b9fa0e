// G2 and the cadence: the checkpoint is replaced whole by a rename, never written in place,
// and it is saved after every --batch-size numbers, however long or short the lines are.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { args, PATHS, prefix, sampleFiles, tool } from './tool.ts';

describe('checkpoint writes', () => {
  it('replace the checkpoint by renaming a temp file over it, never by writing the checkpoint in place (G2)', async () => {
    const run = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(run.code).toBe(0);
    const touching = run.rec.ops.filter((op) => op.path === PATHS.checkpoint || op.to === PATHS.checkpoint);
    // 12 saves, each a rename of the temp file over the checkpoint, then one unlink at the end.
    expect(touching.map((op) => op.kind)).toEqual([...Array(12).fill('rename'), 'unlink']);
    for (const op of touching.slice(0, -1)) expect(op.path).toBe(`${PATHS.checkpoint}.tmp`);
  });

  it('hold the offset and the running sum in the same file, written in the same operation', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '35')), seedVolume(sampleFiles()));
    const saves = crashed.rec.ops.filter((op) => op.kind === 'rename' && op.to === PATHS.checkpoint);
    expect(saves).toHaveLength(3);
    const cp = JSON.parse(crashed.after.files.get(PATHS.checkpoint)!.toString());
    expect(Object.keys(cp)).toEqual(expect.arrayContaining(['schemaVersion', 'input', 'offset', 'count', 'runningSum']));
    expect(cp.runningSum).toBe(prefix(crashed.after.files.get(PATHS.input)!, 30).sum.toString());
    // no other file holds any part of the state
    expect([...crashed.after.files.keys()].sort()).toEqual([PATHS.checkpoint, PATHS.input].sort());
  });

  it('come every --batch-size numbers whatever the line lengths, not every so many bytes (seed 003 fault 3)', async () => {
    // Lines of 1 to 8 bytes, in runs, so a cadence in bytes drifts away from a cadence in numbers.
    const lines = [...Array(12).fill('7'), ...Array(12).fill('-999999'), ...Array(12).fill('3')];
    const input = lines.join('\n') + '\n';
    const run = await runOnVolume(tool(args('--batch-size', '4')), seedVolume(sampleFiles(input)));
    expect(run.code).toBe(0);
    const logged = run.env.log.filter((l) => l.startsWith('Checkpoint saved at offset')).map((l) => Number(/offset (\d+)/.exec(l)![1]));
    const expected = [4, 8, 12, 16, 20, 24, 28, 32, 36].map((k) => prefix(input, k).offset);
    expect(logged).toEqual(expected);
    expect(run.rec.ops.filter((op) => op.kind === 'rename' && op.to === PATHS.checkpoint)).toHaveLength(9);
  });

  it('log progress as a percentage of the input bytes', async () => {
    const run = await runOnVolume(tool(args('--batch-size', '60')), seedVolume(sampleFiles()));
    const size = run.after.files.get(PATHS.input)!.length;
    const half = prefix(run.after.files.get(PATHS.input)!, 60).offset;
    expect(run.env.log).toContain(`Checkpoint saved at offset ${half} (${((half / size) * 100).toFixed(1)}%)`);
    expect(run.env.log).toContain(`Checkpoint saved at offset ${size} (100.0%)`);
  });
});
