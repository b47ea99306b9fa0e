// G1, G2, G5, G6: whatever instant a crash or a power loss lands on, resuming gives the same
// bytes as a run that was never interrupted, and the checkpoint is cleared.
import { describe, expect, it } from 'vitest';
import { planCrashSweep, resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, SAMPLE_ITEMS, sampleFiles, tool } from './tool.ts';

const plan = await planCrashSweep({ files: sampleFiles(), run: tool(), powerLoss: true });

describe('crash recovery', () => {
  it(`resumes to byte-identical output from all ${plan.states.length} crash states (${plan.operations} operations, clean, torn and power loss; ${plan.distinct} distinct)`, async () => {
    expect(await plan.verify()).toEqual([]);
  });

  it('leaves only the input and the output once a run completes', () => {
    expect([...plan.reference.files.keys()].sort()).toEqual([PATHS.output, PATHS.input].sort());
  });

  it(`resumes from the last saved batch after --simulate-crash at each of the ${SAMPLE_ITEMS} items`, async () => {
    for (let n = 1; n <= SAMPLE_ITEMS; n++) {
      const crashed = await runOnVolume(tool(args('--simulate-crash', String(n))), seedVolume(sampleFiles()));
      expect(crashed.code, `crash after item ${n}`).toBe('crashed');
      // the crash comes right after item n, before the checkpoint of the batch it completes
      const savedBatches = Math.floor((n - 1) / 3);
      const checkpoint = crashed.after.files.get(PATHS.checkpoint);
      if (savedBatches === 0) expect(checkpoint).toBeUndefined();
      else expect(JSON.parse(checkpoint!.toString()).next_index).toBe(savedBatches * 3);
      expect(await resumeToEnd(tool(), crashed.after, plan.reference)).toBeUndefined();
    }
  });

  it('does not redo saved batches on resume (G10): it processes only what the checkpoint had not counted', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '10')), seedVolume(sampleFiles()));
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
    expect(resumed.env.log).toContain('Resuming from checkpoint at index 9 of 21 (42.9%)');
    const appended = resumed.rec.ops.filter((op) => op.kind === 'write' && op.path === PATHS.staged);
    expect(appended).toHaveLength((SAMPLE_ITEMS - 9) / 3);
    expect(JSON.parse(resumed.env.out.join('')).resumed_from).toBe(9);
  });

  it('gives the same output whatever the batch size and however many crashes on the way (G5)', async () => {
    for (const batch of ['1', '2', '5', '21', '100']) {
      let volume = seedVolume(sampleFiles());
      // crash three times on the way, each after 4 items of that run
      for (let crash = 0; crash < 3; crash++) {
        const r = await runOnVolume(tool(args('--batch-size', batch, '--simulate-crash', '4')), volume);
        volume = volumeFromSnapshot(r.after);
      }
      const done = await runOnVolume(tool(args('--batch-size', batch)), volume);
      expect(done.code).toBe(0);
      expect(done.after.files.get(PATHS.output)!.equals(plan.reference.files.get(PATHS.output)!), `batch size ${batch}`).toBe(true);
    }
  });
});
