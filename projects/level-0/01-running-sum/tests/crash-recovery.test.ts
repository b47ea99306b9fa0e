// G1, G2, G5, G10: wherever a crash lands, resuming gives the same bytes as a run that was
// never interrupted, the checkpoint is cleared, and resume reads only what it had not summed.
import { describe, expect, it } from 'vitest';
import { planCrashSweep, resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { numberLines } from '../src/generate.ts';
import { main } from '../src/main.ts';
import { args, BATCH, depsFor, PATHS, prefix, readsOf, SAMPLE, SAMPLE_COUNT, sampleFiles, tool } from './tool.ts';

// Level 0 has no fsync, so the sweep covers process crashes (clean and torn), not power loss.
const plan = await planCrashSweep({ files: sampleFiles(), run: tool() });

describe('crash recovery', () => {
  it(`resumes to byte-identical output from all ${plan.states.length} crash states (${plan.operations} operations, clean and torn; ${plan.distinct} distinct)`, async () => {
    expect(plan.operations).toBeGreaterThan(SAMPLE_COUNT / BATCH); // the sample crosses every checkpoint
    expect(await plan.verify()).toEqual([]);
  });

  it('leaves only the input and the output once a run completes, and the output holds the exact sum', () => {
    expect([...plan.reference.files.keys()].sort()).toEqual([PATHS.input, PATHS.output].sort());
    const output = JSON.parse(plan.reference.files.get(PATHS.output)!.toString());
    expect(output).toMatchObject({ input: PATHS.input, count: SAMPLE_COUNT, sum: prefix(SAMPLE, SAMPLE_COUNT).sum.toString() });
  });

  it(`saves offset and sum of the same position, and resumes to identical output, after --simulate-crash at each of the ${SAMPLE_COUNT} numbers`, async () => {
    for (let n = 1; n <= SAMPLE_COUNT; n++) {
      const crashed = await runOnVolume(tool(args('--simulate-crash', String(n))), seedVolume(sampleFiles()));
      expect(crashed.code, `crash after number ${n}`).toBe('crashed');
      // The crash comes right after number n, before the checkpoint of the batch it completes.
      const saved = Math.floor((n - 1) / BATCH) * BATCH;
      const checkpoint = crashed.after.files.get(PATHS.checkpoint);
      if (saved === 0) expect(checkpoint, `crash after number ${n}`).toBeUndefined();
      else {
        const cp = JSON.parse(checkpoint!.toString());
        const expected = prefix(SAMPLE, saved);
        expect({ offset: cp.offset, count: cp.count, runningSum: cp.runningSum }, `crash after number ${n}`).toEqual({
          offset: expected.offset,
          count: saved,
          runningSum: expected.sum.toString(),
        });
      }
      expect(await resumeToEnd(tool(), crashed.after, plan.reference), `crash after number ${n}`).toBeUndefined();
    }
  });

  it('gives the same output whatever the batch size and however many crashes on the way (G5)', async () => {
    for (const batch of ['1', '3', '7', '120', '1000']) {
      let volume = seedVolume(sampleFiles());
      for (let crash = 0; crash < 3; crash++) {
        const r = await runOnVolume(tool(args('--batch-size', batch, '--simulate-crash', '17')), volume);
        volume = volumeFromSnapshot(r.after);
      }
      const done = await runOnVolume(tool(args('--batch-size', batch)), volume);
      expect(done.code).toBe(0);
      expect(done.after.files.get(PATHS.output)!.equals(plan.reference.files.get(PATHS.output)!), `batch size ${batch}`).toBe(true);
    }
  });

  it('resumes in O(1): it seeks to the saved offset and never reads the summed bytes again (G10)', async () => {
    // 3000 numbers (about 22 KB, several 4 KiB fingerprint heads long), crashed after 2500.
    const big = [...numberLines(3000, 11)].join('');
    const files = { [PATHS.input]: big };
    const crashed = await runOnVolume(tool(args('--batch-size', '500', '--simulate-crash', '2501')), seedVolume(files));
    const offset = JSON.parse(crashed.after.files.get(PATHS.checkpoint)!.toString()).offset as number;
    expect(offset).toBe(prefix(big, 2500).offset);

    const resumed = await runOnVolume(async (env) => {
      const spy = readsOf(env.fs, PATHS.input);
      const code = await main(args('--batch-size', '500'), depsFor(env, spy.fs));
      env.out.push(JSON.stringify(spy.reads));
      return code;
    }, volumeFromSnapshot(crashed.after));
    expect(resumed.code).toBe(0);
    const reads = JSON.parse(resumed.env.out.at(-1)!) as Array<[number, number]>;
    // What it may read before the offset: the 4 KiB head (the input fingerprint) and the one
    // byte that proves the offset starts a line. Everything else is at or after the offset.
    const before = reads.filter(([position]) => position < offset);
    expect(before.reduce((n, [, got]) => n + got, 0)).toBeLessThanOrEqual(4096 + 1);
    const streamed = reads.filter(([position]) => position >= offset).reduce((n, [, got]) => n + got, 0);
    expect(streamed).toBe(big.length - offset);
    expect(JSON.parse(resumed.env.out[0]!)).toMatchObject({ count: 3000, sum: prefix(big, 3000).sum.toString(), resumedFromOffset: offset });
  });
});
