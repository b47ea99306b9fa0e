// Cadence by count (--batch-size) or by time (--checkpoint-every-ms): it changes when a
// checkpoint is saved, and so what a crash costs, never what the output holds (G5).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { args, fixedClock, PATHS, SAMPLE_LINES, sampleFiles, tickingClock, tool } from './tool.ts';

async function finished(argv: string[], clock = fixedClock) {
  const r = await runOnVolume(tool(argv, clock), seedVolume(sampleFiles()));
  expect(r.code).toBe(0);
  return {
    output: r.after.files.get(PATHS.output)!,
    checkpoints: r.env.log.filter((l) => l.startsWith('Checkpoint saved')).length,
    fsyncs: r.rec.ops.filter((op) => op.kind === 'fsync').length,
    summary: JSON.parse(r.env.out.join('')),
  };
}

/** The most lines a crash makes the run write again: crash after every line, see what the checkpoint kept. */
async function worstRedone(batch: string): Promise<number> {
  let worst = 0;
  for (let n = 1; n <= SAMPLE_LINES; n++) {
    const crashed = await runOnVolume(tool(args('--batch-size', batch, '--simulate-crash', String(n))), seedVolume(sampleFiles()));
    const saved = crashed.after.files.get(PATHS.checkpoint);
    worst = Math.max(worst, n - (saved ? JSON.parse(saved.toString()).lines_done : 0));
  }
  return worst;
}

const byCount = await finished(args('--batch-size', '4'));

describe('checkpoints by time', () => {
  it.each([
    [1, 1],
    [3, 10],
    [7, 5],
    [50, 1000],
  ])('write the same bytes as checkpoints by count (clock moving %i ms a read, a checkpoint every %i ms)', async (step, every) => {
    const timed = await finished(args('--checkpoint-every-ms', String(every)), tickingClock(step));
    expect(timed.output.equals(byCount.output)).toBe(true);
  });

  it('are not saved before the interval has passed: a clock that stands still saves none', async () => {
    const still = await finished(args('--checkpoint-every-ms', '1'), fixedClock);
    expect(still.checkpoints).toBe(0);
    expect(still.output.equals(byCount.output)).toBe(true);
  });

  it('are saved after every line when every line takes longer than the interval', async () => {
    const slow = await finished(args('--checkpoint-every-ms', '500'), tickingClock(1000));
    expect(slow.checkpoints).toBe(SAMPLE_LINES);
    expect(slow.summary.checkpoints_saved).toBe(SAMPLE_LINES);
  });

  it('say which cadence the run uses', async () => {
    const r = await runOnVolume(tool(args('--checkpoint-every-ms', '250')), seedVolume(sampleFiles()));
    expect(r.env.log[0]).toBe(`Starting fresh: 21 lines in ${PATHS.input}, a checkpoint every 250 ms`);
  });
});

describe('what a cadence costs', () => {
  it('is three fsyncs per checkpoint (output, temp file, folder), plus three for the run', async () => {
    for (const batch of ['1', '4', '21']) {
      const r = await finished(args('--batch-size', batch));
      expect(r.fsyncs, `--batch-size ${batch}`).toBe(3 * r.checkpoints + 3);
    }
  });

  it('is the table in the README, row by row: checkpoints, fsyncs, and the most lines a crash writes again', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = [...readme.matchAll(/^\| `--batch-size (\d+)` \| (\d+) \| (\d+) \| (\d+) \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const [, batch, checkpoints, fsyncs, redone] of rows) {
      const r = await finished(args('--batch-size', batch!));
      expect([r.checkpoints, r.fsyncs, await worstRedone(batch!)], `row --batch-size ${batch}`).toEqual([Number(checkpoints), Number(fsyncs), Number(redone)]);
    }
  });
});
