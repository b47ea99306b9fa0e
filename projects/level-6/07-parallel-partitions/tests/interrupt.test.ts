// G7: Ctrl+C stops every partition at a saved checkpoint: each worker finishes the batch it
// is on and saves it, partitions not yet started are not started, the run exits 130, and a
// rerun finishes with the same bytes. (Real SIGINT on real threads: real-process.test.ts.)
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot, type KitEnv } from '../../../../test/kit/index.ts';
import { inProcessRunner } from '../src/in-process-runner.ts';
import { main } from '../src/main.ts';
import type { PartitionRunner } from '../src/partition-task.ts';
import { args, checkpointIn, CLOCK, depsFor, PATHS, sampleFiles, tool } from './tool.ts';

/** The tool, with Ctrl+C pressed the moment partition `p` reports its first checkpoint. */
function interruptedAt(p: number, argv = args()) {
  return (env: KitEnv) => {
    const interrupt = { requested: false };
    const inner = inProcessRunner(env.fs, () => CLOCK);
    const runPartitions: PartitionRunner = (tasks, options, hooks) =>
      inner(tasks, options, {
        ...hooks,
        onEvent: (event) => {
          hooks.onEvent(event);
          if (event.kind === 'checkpoint' && event.partition === p) interrupt.requested = true;
        },
      });
    return main(argv, { ...depsFor(env, interrupt), runPartitions });
  };
}

const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after.files.get(PATHS.output)!;

describe('Ctrl+C', () => {
  it('lets every partition in flight finish its batch and save it, then exits 130', async () => {
    const r = await runOnVolume(interruptedAt(2), seedVolume(sampleFiles()));
    expect(r.code).toBe(130);
    expect([0, 1, 2].map((p) => checkpointIn(r.after.files, p)?.next_item)).toEqual([3, 3, 3]);
    expect(r.env.log.at(-1)).toBe('Interrupted: every partition stopped at a saved checkpoint, 9 of 21 items done (42.9%); rerun the same command to resume');
    expect(JSON.parse(r.env.out.join(''))).toMatchObject({ status: 'interrupted', items: 21, ok: 9, failed: 0 });
    expect(r.after.files.has(PATHS.output)).toBe(false);
    expect(r.after.files.has(PATHS.lock)).toBe(false);
  });

  it('starts no partition that had not started yet', async () => {
    const r = await runOnVolume(interruptedAt(0, args('--workers', '1')), seedVolume(sampleFiles()));
    expect(r.code).toBe(130);
    expect([0, 1, 2].map((p) => checkpointIn(r.after.files, p)?.next_item)).toEqual([3, undefined, undefined]);
    expect(r.env.log).toContain('Partition 2: 7 items, none done yet');
  });

  it('leaves a run that resumes to the same bytes', async () => {
    const r = await runOnVolume(interruptedAt(1), seedVolume(sampleFiles()));
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(r.after));
    expect(resumed.code).toBe(0);
    expect(resumed.after.files.get(PATHS.output)!.equals(reference)).toBe(true);
  });
});
