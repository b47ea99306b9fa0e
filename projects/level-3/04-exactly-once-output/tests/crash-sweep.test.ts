// G1, G2, G5, G6: the course's showcase of the crash sweep. The tool is stopped at every
// operation of a run over the sample (21 lines, a checkpoint every 4), cleanly, with its last
// write torn, and with each kind of power loss; every state is resumed and must end with the
// same bytes as a run that was never interrupted, and the checkpoint cleared.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planCrashSweep, resumeToEnd, runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, SAMPLE_LINES, sampleFiles, tickingClock, tool } from './tool.ts';

const plan = await planCrashSweep({ files: sampleFiles(), run: tool(), powerLoss: true });
const count = (pred: (name: string) => boolean) => plan.states.filter((s) => pred(s.name)).length;
const clean = count((n) => !n.includes(' torn') && !n.includes('power loss'));
const torn = count((n) => n.endsWith(' torn'));
const powerLoss = count((n) => n.includes('power loss'));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the crash sweep', () => {
  it(`resumes to byte-identical output from all ${plan.states.length} crash states (${plan.operations} operations: ${clean} clean, ${torn} torn, ${powerLoss} power loss; ${plan.distinct} distinct)`, async () => {
    expect(await plan.verify()).toEqual([]);
  });

  it('is the sweep the README describes: the same numbers of operations and states', () => {
    const stated = /The sweep stops the run at each of its \*\*(\d+) operations\*\* and checks \*\*(\d+) crash states\*\*: (\d+) clean, (\d+) torn and (\d+) power-loss states \((\d+) distinct\)/.exec(readme);
    expect(stated, 'the sentence with the numbers is in the README').not.toBeNull();
    expect(stated!.slice(1).map(Number)).toEqual([plan.operations, plan.states.length, clean, torn, powerLoss, plan.distinct]);
  });

  it('leaves only the input and the output once a run completes', () => {
    expect([...plan.reference.files.keys()].sort()).toEqual([PATHS.output, PATHS.input].sort());
  });

  it('crosses several checkpoints over the sample', async () => {
    const done = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(done.env.log.filter((l) => l.startsWith('Checkpoint saved'))).toHaveLength(Math.floor(SAMPLE_LINES / 4));
  });
});

describe('--simulate-crash', () => {
  it(`at each of the ${SAMPLE_LINES} lines leaves the last batch's checkpoint and uncounted lines after it, and a rerun completes byte-identical`, async () => {
    for (let n = 1; n <= SAMPLE_LINES; n++) {
      const crashed = await runOnVolume(tool(args('--simulate-crash', String(n))), seedVolume(sampleFiles()));
      expect(crashed.code, `crash after line ${n}`).toBe('crashed');
      // the crash comes right after line n is appended, before the checkpoint of the batch it completes
      const saved = Math.floor((n - 1) / 4) * 4;
      const checkpoint = crashed.after.files.get(PATHS.checkpoint);
      if (saved === 0) expect(checkpoint).toBeUndefined();
      else expect(JSON.parse(checkpoint!.toString()).lines_done).toBe(saved);
      expect(crashed.after.files.get(PATHS.output)!.toString().split('\n').filter(Boolean)).toHaveLength(n);
      expect(await resumeToEnd(tool(), crashed.after, plan.reference), `resume after line ${n}`).toBeUndefined();
    }
  });

  it('gives the same output whatever the cadence and however many crashes on the way (G5)', async () => {
    const cadences = [['--batch-size', '1'], ['--batch-size', '3'], ['--batch-size', '21'], ['--batch-size', '1000'], ['--checkpoint-every-ms', '10']];
    for (const cadence of cadences) {
      let volume = seedVolume(sampleFiles());
      // crash four times on the way, each after 5 lines of that run
      for (let crash = 0; crash < 4; crash++) {
        const r = await runOnVolume(tool(args(...cadence, '--simulate-crash', '5'), tickingClock(3)), volume);
        expect(r.code).toBe('crashed');
        volume = volumeFromSnapshot(r.after);
      }
      const done = await runOnVolume(tool(args(...cadence), tickingClock(3)), volume);
      expect(done.code).toBe(0);
      expect(done.after.files.get(PATHS.output)!.equals(plan.reference.files.get(PATHS.output)!), cadence.join(' ')).toBe(true);
    }
  });
});

describe('the crash sweep with checkpoints by time', () => {
  // The power-loss states are the count sweep's again (the same writes, fsyncs and renames);
  // what is new here is where the clock puts the checkpoints, so clean and torn crashes suffice.
  it('resumes to byte-identical output from every clean and torn crash of a run checkpointing every 20 ms of a clock that moves 3 ms a read', async () => {
    const timed = await planCrashSweep({ files: sampleFiles(), run: tool(args('--checkpoint-every-ms', '20'), tickingClock(3)) });
    const saves = (await runOnVolume(tool(args('--checkpoint-every-ms', '20'), tickingClock(3)), seedVolume(sampleFiles()))).env.log.filter((l) => l.startsWith('Checkpoint saved'));
    expect(saves.length).toBeGreaterThan(1);
    expect(timed.reference.files.get(PATHS.output)!.equals(plan.reference.files.get(PATHS.output)!)).toBe(true);
    expect(await timed.verify()).toEqual([]);
  });
});
