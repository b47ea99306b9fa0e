// Alter it 1: keep the smallest and the largest number beside the sum.
//
// The point is not min and max: it is that every piece of state the result needs must be
// in the checkpoint, saved in the same write as the offset. A min kept only in memory is
// right on a run that never crashes and wrong after a resume. And a checkpoint whose shape
// changes gets a new schemaVersion, so an old one is refused instead of misread.
import { describe, expect, it } from 'vitest';
import { resumeToEnd, runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { args, PATHS, SAMPLE, sampleFiles, tool } from '../tests/tool.ts';

// The extremes come first, so a resume that forgot them cannot find them again.
const INPUT = ['-999999', '999999', ...SAMPLE.toString().trim().split('\n').slice(0, 48)].join('\n') + '\n';
const numbers = INPUT.trim().split('\n').map(BigInt);
const min = (xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a)).toString();
const max = (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a)).toString();

describe('Alter it 1: min and max', () => {
  it('writes min and max beside the sum, as exact decimal strings', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    const all = SAMPLE.toString().trim().split('\n').map(BigInt);
    expect(JSON.parse(r.after.files.get(PATHS.output)!.toString())).toEqual({
      input: PATHS.input,
      count: all.length,
      sum: all.reduce((a, b) => a + b).toString(),
      min: min(all),
      max: max(all),
    });
  });

  it('saves min and max in the checkpoint, in the same write as the offset, under schemaVersion 2', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles(INPUT)));
    const cp = JSON.parse(crashed.after.files.get(PATHS.checkpoint)!.toString());
    expect(cp).toMatchObject({ schemaVersion: 2, count: 20, min: min(numbers.slice(0, 20)), max: max(numbers.slice(0, 20)) });
  });

  it('gives the same min and max after a crash at any number as a run without one', async () => {
    const reference = (await runOnVolume(tool(), seedVolume(sampleFiles(INPUT)))).after;
    expect(JSON.parse(reference.files.get(PATHS.output)!.toString())).toMatchObject({ min: '-999999', max: '999999' });
    for (let n = 1; n <= numbers.length; n += 3) {
      const crashed = await runOnVolume(tool(args('--simulate-crash', String(n))), seedVolume(sampleFiles(INPUT)));
      expect(await resumeToEnd(tool(), crashed.after, reference), `crash after number ${n}`).toBeUndefined();
    }
  });

  it('writes null for min and max of an empty input', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles('')));
    expect(JSON.parse(r.after.files.get(PATHS.output)!.toString())).toMatchObject({ count: 0, sum: '0', min: null, max: null });
  });

  it('refuses a schemaVersion 1 checkpoint (it has no min and max) with exit 65, pointing to --force', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()));
    const cp = JSON.parse(crashed.after.files.get(PATHS.checkpoint)!.toString());
    const { min: _min, max: _max, ...old } = cp;
    const r = await runOnVolume(tool(), seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: JSON.stringify({ ...old, schemaVersion: 1 }) }));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/schemaVersion 1.*--force/);
    expect(r.rec.ops).toEqual([]);
  });

  it('refuses a checkpoint whose min is not a string of digits', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()));
    const cp = JSON.parse(crashed.after.files.get(PATHS.checkpoint)!.toString());
    const r = await runOnVolume(tool(), seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: JSON.stringify({ ...cp, min: 5 }) }));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/min/);
  });
});
