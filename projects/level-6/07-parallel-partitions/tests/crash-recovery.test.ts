// G1, G2, G5, G6: whatever instant a crash or a power loss lands on, with the partitions'
// batches interleaved as three workers run them, resuming gives the same bytes as a run that
// was never interrupted, and every checkpoint is cleared.
import { describe, expect, it } from 'vitest';
import { planCrashSweep, resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, checkpointIn, PATHS, SAMPLE_ITEMS, sampleFiles, tool } from './tool.ts';

// Batch size 4 here: every partition (7 items) still crosses two checkpoints, in fewer operations.
const plan = await planCrashSweep({ files: sampleFiles(), run: tool(args('--batch-size', '4')), powerLoss: true });
const reference = plan.reference.files.get(PATHS.output)!;

/** Partitions that a crash state leaves part-way: some batches saved, not all. */
function partWay(files: Map<string, Buffer>): number[] {
  return [0, 1, 2].filter((p) => {
    const cp = checkpointIn(files, p);
    return cp !== undefined && cp.next_item > 0 && cp.next_item < 7;
  });
}

describe('crash recovery', () => {
  it(`resumes to byte-identical output from all ${plan.states.length} crash states (${plan.operations} operations, clean, torn and power loss; ${plan.distinct} distinct)`, async () => {
    expect(await plan.verify()).toEqual([]);
  });

  it('is swept with crashes landing in every partition, and with several partitions part-way at once', () => {
    const states = plan.states.map((s) => partWay(s.volume.files));
    for (const p of [0, 1, 2]) expect(states.filter((parts) => parts.includes(p)).length, `partition ${p}`).toBeGreaterThan(10);
    expect(states.filter((parts) => parts.length === 3).length).toBeGreaterThan(10);
  });

  it('resumes crash states on a different number of workers, and a different batch size, to the same bytes', async () => {
    const seen = new Set<string>();
    const failures: string[] = [];
    for (const state of plan.states) {
      // Every third distinct shape of files keeps this quick; the full sweep is above.
      const key = [...state.volume.files].map(([path, bytes]) => `${path}:${bytes.length}`).join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size % 3 !== 0) continue;
      const workers = String((seen.size % 2) + 1);
      const problem = await resumeToEnd(tool(args('--workers', workers, '--batch-size', '3')), state.volume, plan.reference);
      if (problem) failures.push(`${state.name}, resumed on ${workers} workers: ${problem}`);
    }
    expect(seen.size).toBeGreaterThan(45);
    expect(failures).toEqual([]);
  });

  it('keeps every partition\'s checkpoint in its own file, in every crash state', () => {
    for (const state of plan.states) {
      for (const p of [0, 1, 2]) {
        const cp = checkpointIn(state.volume.files, p);
        if (cp) expect(cp.partition, state.name).toBe(p);
      }
    }
  });

  it('leaves only the input and the output once a run completes', () => {
    expect([...plan.reference.files.keys()].sort()).toEqual([PATHS.output, PATHS.input].sort());
  });

  it(`resumes after --simulate-crash at each of the ${SAMPLE_ITEMS} items, counted over all workers`, async () => {
    for (let n = 1; n <= SAMPLE_ITEMS; n++) {
      const crashed = await runOnVolume(tool(args('--simulate-crash', String(n))), seedVolume(sampleFiles()));
      expect(crashed.code, `crash after item ${n}`).toBe('crashed');
      expect(crashed.env.log).toContain(`Simulating a crash after item ${n} of this run (SIGKILL, no cleanup)`);
      // Batches are saved whole: every checkpoint left counts a multiple of 3 items, or the
      // whole partition (7), and together they count fewer items than were processed.
      const saved = [0, 1, 2].map((p) => checkpointIn(crashed.after.files, p)?.next_item ?? 0);
      for (const count of saved) expect([0, 3, 6, 7]).toContain(count);
      expect(saved.reduce((a, b) => a + b)).toBeLessThan(n);
      const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
      expect(resumed.code).toBe(0);
      expect(JSON.parse(resumed.env.out.join('')).resumed_items).toBe(saved.reduce((a, b) => a + b));
      expect(resumed.after.files.get(PATHS.output)!.equals(reference), `crash after item ${n}`).toBe(true);
    }
  });

  it('continues every partition where it stopped, redoing no saved batch (G10)', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '11')), seedVolume(sampleFiles()));
    const saved = [0, 1, 2].map((p) => checkpointIn(crashed.after.files, p)!.next_item);
    expect(saved).toEqual([3, 3, 3]); // three workers, one batch each, then the crash in partition 0's second batch
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
    expect(resumed.env.log).toEqual(expect.arrayContaining([
      'Resuming: 9 of 21 items already done (42.9%); 3 partitions (index mod 3) on 3 workers, batch size 3',
      'Partition 0: 7 items, resuming at item 3 (42.9%)',
      'Partition 1: 7 items, resuming at item 3 (42.9%)',
      'Partition 2: 7 items, resuming at item 3 (42.9%)',
    ]));
    for (const p of [0, 1, 2]) {
      const appends = resumed.rec.ops.filter((op) => op.kind === 'write' && op.path === PATHS.staged(p));
      expect(appends, `partition ${p}`).toHaveLength(2); // items 3-5 and item 6: the first batch is not redone
    }
  });

  it('gives the same output whatever the batch size and worker count, however many crashes on the way (G5)', async () => {
    for (const batch of ['1', '5', '21']) {
      for (const workers of ['1', '3']) {
        let volume = seedVolume(sampleFiles());
        // crash three times on the way, each after 4 items of that run, on changing worker counts
        for (let crash = 0; crash < 3; crash++) {
          const w = String(((Number(workers) + crash) % 3) + 1);
          const r = await runOnVolume(tool(args('--batch-size', batch, '--workers', w, '--simulate-crash', '4')), volume);
          volume = volumeFromSnapshot(r.after);
        }
        const done = await runOnVolume(tool(args('--batch-size', batch, '--workers', workers)), volume);
        expect(done.code).toBe(0);
        expect(done.after.files.get(PATHS.output)!.equals(reference), `batch size ${batch}, ${workers} workers`).toBe(true);
      }
    }
  });

  it('gives the same output whatever the number of partitions, even more partitions than items', async () => {
    for (const partitions of ['1', '2', '5', '21', '30']) {
      const r = await runOnVolume(tool(args('--partitions', partitions, '--workers', '4')), seedVolume(sampleFiles()));
      expect(r.code).toBe(0);
      expect(r.after.files.get(PATHS.output)!.equals(reference), `${partitions} partitions`).toBe(true);
    }
  });
});
