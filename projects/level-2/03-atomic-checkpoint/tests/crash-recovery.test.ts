// G1, G2, G5, G6: whatever instant a crash or a power loss lands on, resuming gives the same
// staged bytes as a run that was never interrupted, and the checkpoints are gone.
import { describe, expect, it } from 'vitest';
import { planCrashSweep, resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot, type KitEnv } from '../../../../test/kit/index.ts';
import { main } from '../src/main.ts';
import { args, depsFor, paths, RECORDS, SAMPLE, SOURCE_NAMES, sampleFiles, summaryOf, tickingClock, tool } from './tool.ts';

const TOTAL = Object.values(RECORDS).reduce((a, b) => a + b, 0);
const plan = await planCrashSweep({ files: sampleFiles(), run: tool(), powerLoss: true });

describe('crash recovery', () => {
  it(`resumes to byte-identical staged output from all ${plan.states.length} crash states (${plan.operations} operations, clean, torn and power loss; ${plan.distinct} distinct)`, async () => {
    expect(await plan.verify()).toEqual([]);
  });

  it('leaves the sources and one staged file per source once a run completes, and no checkpoint', () => {
    const expected = [...Object.keys(SAMPLE), ...SOURCE_NAMES.map((s) => paths(s).staged)].sort();
    expect([...plan.reference.files.keys()].sort()).toEqual(expected);
  });

  it(`resumes from the last saved batch after --simulate-crash at each of the ${TOTAL} records`, async () => {
    for (let n = 1; n <= TOTAL; n++) {
      const crashed = await runOnVolume(tool(args('--simulate-crash', String(n))), seedVolume(sampleFiles()));
      expect(crashed.code, `crash after record ${n}`).toBe('crashed');
      expect(await resumeToEnd(tool(), crashed.after, plan.reference), `crash after record ${n}`).toBeUndefined();
    }
  });

  it('finds its checkpoint after a restart: the file name is fixed, the run id is kept inside it', async () => {
    // Two processes, two clocks: the restarted one would make a different run id of its own.
    const first = (env: KitEnv) => main(args('--simulate-crash', '6'), { ...depsFor(env), now: tickingClock(Date.parse('2026-11-25T12:00:00Z')) });
    const second = (env: KitEnv) => main(args(), { ...depsFor(env), now: tickingClock(Date.parse('2026-11-26T08:30:00Z')) });
    const crashed = await runOnVolume(first, seedVolume(sampleFiles()));
    const saved = JSON.parse(crashed.after.files.get(paths('bbc').checkpoint)!.toString());
    expect(saved.run_id).toBe('run-2026-11-25T12:00:00.000Z');
    const resumed = await runOnVolume(second, volumeFromSnapshot(crashed.after));
    expect(resumed.code).toBe(0);
    expect(resumed.env.log[0]).toBe(`Resuming run run-2026-11-25T12:00:00.000Z: 3 sources, ${TOTAL} records, batch size 4`);
    expect(summaryOf(resumed.env).run_id).toBe('run-2026-11-25T12:00:00.000Z');
    expect(resumed.rec.ops.filter((op) => op.kind === 'truncate')).toEqual([]);
  });

  it('does not redo saved batches on resume (G10): it reads only the records no checkpoint counted', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', '10')), seedVolume(sampleFiles()));
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
    expect(resumed.env.log).toContain(`[bbc] Resuming at index 8 of ${RECORDS.bbc} (57.1%)`);
    const summary = summaryOf(resumed.env);
    expect(summary.sources.bbc).toMatchObject({ resumed_at: 8, read_this_run: RECORDS.bbc! - 8 });
    expect(summary.sources.tiktok).toMatchObject({ resumed_at: 0, read_this_run: RECORDS.tiktok });
  });

  it('never starts a finished source over when a later source crashes', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', String(RECORDS.bbc! + 2))), seedVolume(sampleFiles()));
    expect(JSON.parse(crashed.after.files.get(paths('bbc').checkpoint)!.toString()).last_index).toBe(RECORDS.bbc);
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(crashed.after));
    expect(resumed.env.log).toContain(`[bbc] Already staged by this run (${RECORDS.bbc} of ${RECORDS.bbc} records)`);
    expect(summaryOf(resumed.env).sources.bbc!.read_this_run).toBe(0);
    expect(resumed.rec.ops.filter((op) => op.path.startsWith(paths('bbc').dir) && op.kind !== 'unlink' && op.kind !== 'fsync')).toEqual([]);
  });

  it('cuts records staged after the last checkpoint instead of staging them twice', async () => {
    // Crash mid-batch in bbc: lines from a batch with no checkpoint are on disk.
    const vol = seedVolume(sampleFiles());
    const done = await runOnVolume(tool(args('--simulate-crash', '6')), vol);
    const staged = paths('bbc').staged;
    const withExtra = volumeFromSnapshot(done.after);
    withExtra.appendFileSync(staged, '{"source":"bbc","index":4,"id":"bbc-005","text":"left by a crash","words":4}\n{"source":"bbc","ind');
    const resumed = await runOnVolume(tool(), withExtra);
    expect(resumed.code).toBe(0);
    expect(resumed.env.log).toContain(`[bbc] Cutting 2 staged records no checkpoint counted from ${staged}; they are staged again`);
    expect(resumed.after.files.get(staged)!.equals(plan.reference.files.get(staged)!)).toBe(true);
  });

  it('cuts a finished source back to what its checkpoint counts before calling it done', async () => {
    const crashed = await runOnVolume(tool(args('--simulate-crash', String(RECORDS.bbc! + 2))), seedVolume(sampleFiles()));
    const vol = volumeFromSnapshot(crashed.after);
    vol.appendFileSync(paths('bbc').staged, '{"source":"bbc","index":14,"id":"stray"');
    const resumed = await runOnVolume(tool(), vol);
    expect(resumed.code).toBe(0);
    expect(resumed.env.log).toContain(`[bbc] Resuming at index ${RECORDS.bbc} of ${RECORDS.bbc} (100.0%)`);
    expect(resumed.after.files.get(paths('bbc').staged)!.equals(plan.reference.files.get(paths('bbc').staged)!)).toBe(true);
  });

  it('gives the same staged output whatever the batch size and however many crashes on the way (G5)', async () => {
    for (const batch of ['1', '3', '5', '16', '1000']) {
      let volume = seedVolume(sampleFiles());
      for (let crash = 0; crash < 3; crash++) {
        const r = await runOnVolume(tool(args('--batch-size', batch, '--simulate-crash', '7')), volume);
        volume = volumeFromSnapshot(r.after);
      }
      const done = await runOnVolume(tool(args('--batch-size', batch)), volume);
      expect(done.code).toBe(0);
      for (const source of SOURCE_NAMES) {
        expect(done.after.files.get(paths(source).staged)!.equals(plan.reference.files.get(paths(source).staged)!), `batch size ${batch}, ${source}`).toBe(true);
      }
      expect([...done.after.files.keys()].filter((p) => p.includes('.checkpoint'))).toEqual([]);
    }
  });
});
