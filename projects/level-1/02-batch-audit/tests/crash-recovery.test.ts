// G1, G2, G5, G10: wherever a crash lands, resuming gives the same bytes as a run that was
// never interrupted, with no row twice and none missing, and the checkpoint cleared.
import { describe, expect, it } from 'vitest';
import { planCrashSweep, resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { parseCsv } from '../src/csv.ts';
import { HEADER } from '../src/results-file.ts';
import { args, fileOf, PATHS, postsCsv, SAMPLE_POSTS, sampleFiles, tool } from './tool.ts';

const plan = await planCrashSweep({ files: sampleFiles(), run: tool() });
const plan3 = await planCrashSweep({ files: sampleFiles(), run: tool(args('--batch-size', '3')) });
const reference = fileOf(plan.reference, PATHS.output)!;

/** The post indexes of the data rows of a results file, in file order. */
function rowIndexes(results: string): number[] {
  return parseCsv(results).records.slice(1).map((r) => Number(r.fields[0]));
}
const flaggedIndexes = rowIndexes(reference);

describe('crash recovery', () => {
  it(`resumes to byte-identical results from all ${plan.states.length} crash states at batch size 10 (${plan.operations} operations, clean and torn; ${plan.distinct} distinct)`, async () => {
    expect(await plan.verify()).toEqual([]);
  });

  it(`resumes to byte-identical results from all ${plan3.states.length} crash states at batch size 3 (${plan3.operations} operations, clean and torn; ${plan3.distinct} distinct)`, async () => {
    expect(await plan3.verify()).toEqual([]);
    expect(fileOf(plan3.reference, PATHS.output)).toBe(reference);
  });

  it(`leaves the checkpoint absent or one whole saved index in all ${plan.states.length + plan3.states.length} crash states, never empty or torn (G2)`, () => {
    for (const [sweep, batch] of [[plan, 10], [plan3, 3]] as const) {
      const saved = new Set(['0']);
      for (let i = batch; i < SAMPLE_POSTS + batch; i += batch) saved.add(String(Math.min(i, SAMPLE_POSTS)));
      for (const state of sweep.states) {
        const checkpoint = fileOf(state.volume, PATHS.checkpoint);
        if (checkpoint === undefined) continue;
        expect(checkpoint, state.name).toMatch(/^\d+\n$/);
        expect(saved.has(checkpoint.trim()), `${state.name}: ${checkpoint}`).toBe(true);
      }
    }
  });

  it('leaves only the input and the results once a run completes: the checkpoint is cleared (seed fault 4)', () => {
    expect([...plan.reference.files.keys()].sort()).toEqual([PATHS.output, PATHS.input].sort());
  });

  it('flags the sample posts it should, each once, in input order, after the header', () => {
    expect(reference.startsWith(HEADER)).toBe(true);
    expect(flaggedIndexes.length).toBeGreaterThan(5);
    expect(flaggedIndexes).toEqual([...new Set(flaggedIndexes)].sort((a, b) => a - b));
  });

  it(`resumes from the last saved batch after --simulate-crash at each of the ${SAMPLE_POSTS} posts`, async () => {
    let sawDuplicateWindow = false;
    for (let n = 1; n <= SAMPLE_POSTS; n++) {
      const crashed = await runOnVolume(tool(args('--simulate-crash', String(n))), seedVolume(sampleFiles()));
      expect(crashed.code, `crash after post ${n}`).toBe('crashed');
      // The crash comes right after post n-1 (0-based), before the checkpoint of its batch.
      const saved = Math.floor((n - 1) / 10) * 10;
      expect(fileOf(crashed.after, PATHS.checkpoint), `crash after post ${n}`).toBe(`${saved}\n`);
      // Rows for posts saved..n-1 are already in the file: the window where the seed duplicated.
      const pastCheckpoint = rowIndexes(fileOf(crashed.after, PATHS.output)!).filter((i) => i >= saved);
      expect(pastCheckpoint).toEqual(flaggedIndexes.filter((i) => i >= saved && i < n));
      if (pastCheckpoint.length > 0) sawDuplicateWindow = true;
      expect(await resumeToEnd(tool(), crashed.after, plan.reference), `crash after post ${n}`).toBeUndefined();
    }
    expect(sawDuplicateWindow).toBe(true);
  });

  it('drops the rows appended after the checkpoint instead of appending them again (seed fault 1)', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()));
    const before = rowIndexes(fileOf(crashed.after, PATHS.output)!).filter((i) => i >= 20);
    expect(before.length).toBeGreaterThan(0);
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
    expect(resumed.code).toBe(0);
    expect(resumed.env.log).toContain(`Reconciled ${PATHS.output}: dropped ${before.length} row${before.length === 1 ? '' : 's'} written after the checkpoint`);
    expect(rowIndexes(fileOf(resumed.after, PATHS.output)!)).toEqual(flaggedIndexes);
  });

  it('drops a last row cut off mid-write, even when its text holds line breaks', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '20')), seedVolume(sampleFiles()));
    // Post 22's text spans two lines; cut its row inside the quotes, after the first line.
    const full = await runOnVolume(tool(args('--simulate-crash', '23')), seedVolume(sampleFiles()));
    const fullText = fileOf(full.after, PATHS.output)!;
    const torn = fullText.slice(0, fullText.indexOf('\n', fullText.indexOf('\n22,')+ 1) + 1);
    expect(torn.length).toBeLessThan(fullText.length);
    const state = volumeFromSnapshot(crashed.after);
    state.writeFileSync(PATHS.output, torn);
    const resumed = await runOnVolume(tool(), state);
    expect(resumed.code).toBe(0);
    expect(resumed.env.log.join('\n')).toMatch(/a row cut off mid-write/);
    expect(fileOf(resumed.after, PATHS.output)).toBe(reference);
  });

  it('resumes at exactly the checkpoint index: the post at it is audited once, the one before it not again', async () => {
    // Post 10 is flagged; a checkpoint of 10 means it is still to do.
    expect(flaggedIndexes).toContain(10);
    const crashed = await runOnVolume(tool(args('--simulate-crash', '10')), seedVolume(sampleFiles()));
    expect(fileOf(crashed.after, PATHS.checkpoint)).toBe('0\n'); // post 9 done, batch not saved
    const second = await runOnVolume(tool(args('--simulate-crash', '11')), volumeFromSnapshot(crashed.after));
    expect(fileOf(second.after, PATHS.checkpoint)).toBe('10\n');
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(second.after));
    expect(JSON.parse(resumed.env.out.join('')).resumed_from).toBe(10);
    expect(JSON.parse(resumed.env.out.join('')).audited_this_run).toBe(SAMPLE_POSTS - 10);
    expect(rowIndexes(fileOf(resumed.after, PATHS.output)!)).toEqual(flaggedIndexes);
  });

  it('does not redo saved batches on resume (G10): only the posts after the checkpoint are audited and appended', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()));
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
    expect(resumed.env.log).toContain('Resuming from checkpoint at index 20 of 45 (44.4%)');
    const appended = resumed.rec.ops.filter((op) => op.kind === 'appendFile' && op.path === PATHS.output);
    expect(appended).toHaveLength(flaggedIndexes.filter((i) => i >= 20).length);
    // The file is cut back once and appended to; it is never rewritten from the start.
    expect(resumed.rec.ops.filter((op) => op.path === PATHS.output).map((op) => op.kind)).toEqual(['truncate', ...appended.map(() => 'appendFile')]);
    expect(JSON.parse(resumed.env.out.join(''))).toMatchObject({ resumed_from: 20, audited_this_run: 25, flagged: flaggedIndexes.length });
  });

  it('gives the same results whatever the batch size and however many crashes on the way (G5)', async () => {
    for (const batch of ['1', '4', '7', '45', '100']) {
      let volume = seedVolume(sampleFiles());
      for (let crash = 0; crash < 3; crash++) {
        const r = await runOnVolume(tool(args('--batch-size', batch, '--simulate-crash', '6')), volume);
        volume = volumeFromSnapshot(r.after);
      }
      const done = await runOnVolume(tool(args('--batch-size', batch)), volume);
      expect(done.code).toBe(0);
      expect(fileOf(done.after, PATHS.output), `batch size ${batch}`).toBe(reference);
    }
  });
});

describe('the header, written exactly once', () => {
  const quiet = postsCsv([
    ['2020-01-01', 'nothing to see'],
    ['2020-01-02', 'still nothing'],
    ['2020-01-03', 'a calm day'],
    ['2020-01-04', 'I hate waiting'],
    ['2020-01-05', 'crypto, again'],
  ]);

  it('is there after a run that flagged nothing at all', async () => {
    const done = await runOnVolume(tool(), seedVolume(sampleFiles(postsCsv([['2020-01-01', 'a calm day']]))));
    expect(done.code).toBe(0);
    expect(fileOf(done.after, PATHS.output)).toBe(HEADER);
  });

  it('is there, once, when a run that wrote no rows crashed and the resume appends rows (seed fault 3)', async () => {
    const crashed = await runOnVolume(tool(args('--batch-size', '2', '--simulate-crash', '3')), seedVolume(sampleFiles(quiet)));
    expect(fileOf(crashed.after, PATHS.output)).toBe(HEADER); // no rows yet
    const resumed = await runOnVolume(tool(args('--batch-size', '2')), volumeFromSnapshot(crashed.after));
    expect(resumed.code).toBe(0);
    const results = fileOf(resumed.after, PATHS.output)!;
    expect(results.startsWith(HEADER)).toBe(true);
    expect(results.split(HEADER)).toHaveLength(2);
    expect(rowIndexes(results)).toEqual([3, 4]);
  });

  it('is written again, once, when a crash cut it short before the first checkpoint', async () => {
    const state = seedVolume({ ...sampleFiles(quiet), [PATHS.checkpoint]: '0\n', [PATHS.output]: HEADER.slice(0, 7) });
    const resumed = await runOnVolume(tool(), state);
    expect(resumed.code).toBe(0);
    expect(resumed.env.log).toContain(`Reconciled ${PATHS.output}: wrote the missing header (a crash came before it was whole)`);
    expect(fileOf(resumed.after, PATHS.output)!.split(HEADER)).toHaveLength(2);
  });
});
