// Alter it, task 2: a third cadence, `--checkpoint-every-bytes <n>`: a checkpoint once at least
// n bytes of input have been read since the last one (the numbers stream of seed 003 saved
// "every so many bytes"). Like the other two, it changes when checkpoints come, never the output.
import { describe, expect, it } from 'vitest';
import { planCrashSweep, runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { PATHS, SAMPLE, sampleFiles, tool } from '../tests/tool.ts';

const base = ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint];
const byBytes = (n: string, ...extra: string[]) => tool([...base, '--checkpoint-every-bytes', n, ...extra]);
const reference = (await runOnVolume(tool([...base, '--batch-size', '4']), seedVolume(sampleFiles()))).after.files.get(PATHS.output)!;

/** The lines after which a checkpoint is due: the rule, applied to the sample's line lengths. */
function expectedCheckpoints(every: number): number[] {
  const due: number[] = [];
  let since = 0;
  SAMPLE.toString()
    .split('\n')
    .slice(0, -1)
    .forEach((line, i) => {
      since += Buffer.byteLength(line) + 1;
      if (since >= every) {
        due.push(i + 1);
        since = 0;
      }
    });
  return due;
}

describe('--checkpoint-every-bytes', () => {
  it.each(['1', '100', '300', '100000'])('with %s writes the same bytes as --batch-size', async (n) => {
    const r = await runOnVolume(byBytes(n), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(r.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
  });

  it.each([1, 100, 300, 100000])('with %i saves a checkpoint after the line that completes each n bytes of input', async (n) => {
    const r = await runOnVolume(byBytes(String(n)), seedVolume(sampleFiles()));
    const saved = r.env.log.filter((l) => l.startsWith('Checkpoint saved')).map((l) => Number(/line (\d+)/.exec(l)![1]));
    expect(saved).toEqual(expectedCheckpoints(n));
  });

  it('says which cadence the run uses', async () => {
    const r = await runOnVolume(byBytes('300'), seedVolume(sampleFiles()));
    expect(r.env.log[0]).toBe(`Starting fresh: 21 lines in ${PATHS.input}, a checkpoint every 300 bytes of input`);
  });

  it.each(['0', '-1', '1.5', 'abc', '9007199254740993'])('refuses %j with exit 2 before any write', async (value) => {
    const r = await runOnVolume(byBytes(value), seedVolume(sampleFiles()));
    expect(r.code).toBe(2);
    expect(r.env.log[0]).toMatch(/--checkpoint-every-bytes/);
    expect(r.rec.ops).toEqual([]);
  });

  it.each([['--batch-size', '4'], ['--checkpoint-every-ms', '250']])('refuses it together with %s', async (flag, value) => {
    const r = await runOnVolume(byBytes('100', flag, value), seedVolume(sampleFiles()));
    expect(r.code).toBe(2);
    expect(r.rec.ops).toEqual([]);
  });

  it('resumes to the same bytes from every crash state', async () => {
    const plan = await planCrashSweep({ files: sampleFiles(), run: byBytes('300') });
    expect(plan.reference.files.get(PATHS.output)!.equals(reference)).toBe(true);
    expect(await plan.verify()).toEqual([]);
  });
});
