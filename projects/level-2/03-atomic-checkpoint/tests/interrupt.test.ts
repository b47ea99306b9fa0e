// G7 in memory: a SIGINT (the flag project.ts's handler sets) lets the batch finish, saves it,
// and stops with exit 130 at a checkpoint that a rerun resumes from. (The guide promised a
// checkpoint saved on Ctrl+C; the seed's code had none.) tests/real-process.test.ts sends a
// real SIGINT to a real process.
import { describe, expect, it } from 'vitest';
import { resumeToEnd, runOnVolume, seedVolume, type KitEnv } from '../../../../test/kit/index.ts';
import { main } from '../src/main.ts';
import { args, depsFor, paths, sampleFiles, summaryOf, tool } from './tool.ts';

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;

/** A run that receives SIGINT while it logs the given line (that is, mid-batch, as far as it can tell). */
function interruptedAt(trigger: string) {
  return (env: KitEnv) => {
    const interrupt = { requested: false };
    return main(args(), {
      ...depsFor(env, interrupt),
      log: (line) => {
        env.log.push(line);
        if (line === trigger) interrupt.requested = true;
      },
    });
  };
}

describe('an interrupt (SIGINT)', () => {
  it.each([
    ['[bbc] Starting at index 0 of 14', 'bbc', 4],
    ['[bbc] Checkpoint saved at index 8 (57.1%)', 'bbc', 8],
    ['[tiktok] Starting at index 0 of 11', 'tiktok', 4],
    ['[wikipedia] Checkpoint saved at index 16 (100.0%)', 'wikipedia', 16],
  ])('arriving at "%s" finishes the batch, saves %s at index %i, exits 130', async (trigger, source, index) => {
    const r = await runOnVolume(interruptedAt(trigger), seedVolume(sampleFiles()));
    expect(r.code).toBe(130);
    const saved = JSON.parse(r.after.files.get(paths(source).checkpoint)!.toString());
    expect(saved.last_index).toBe(index);
    expect(r.env.log.at(-1)).toMatch(new RegExp(`^Interrupted: \\[${source}\\] checkpoint saved at index ${index} \\(\\d+\\.\\d%\\); rerun the same command to resume$`));
    expect(summaryOf(r.env).status).toBe('interrupted');
    // what the checkpoint counts is on disk
    expect(r.after.files.get(paths(source).staged)!.toString().split('\n').length - 1).toBe(saved.processed_count);
    expect(await resumeToEnd(tool(), r.after, reference)).toBeUndefined();
  });

  it('is not needed to finish: without one the run exits 0 and deletes its checkpoints', async () => {
    const r = await runOnVolume(interruptedAt('never logged'), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect([...r.after.files.keys()].filter((p) => p.includes('.checkpoint'))).toEqual([]);
  });
});
