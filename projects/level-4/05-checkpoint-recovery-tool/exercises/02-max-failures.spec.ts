// Alter it, task 2: `--max-failures <n>` stops a run whose input is worse than expected, at a
// saved checkpoint, so that a rerun with a higher limit resumes instead of starting over.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, sampleFiles, tool } from '../tests/tool.ts';

describe('--max-failures', () => {
  it('stops with exit 65 once more items failed than allowed, naming the count', async () => {
    const r = await runOnVolume(tool(args('--max-failures', '0')), seedVolume(sampleFiles()));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/1 item failed, more than --max-failures 0/);
    expect(r.after.files.has(PATHS.output)).toBe(false);
  });

  it('keeps the checkpoint of the batch that went over, and a rerun with a higher limit resumes from it', async () => {
    const stopped = await runOnVolume(tool(args('--max-failures', '0')), seedVolume(sampleFiles()));
    expect(JSON.parse(stopped.after.files.get(PATHS.checkpoint)!.toString())).toMatchObject({ next_index: 9, failed_count: 1 });
    const rerun = await runOnVolume(tool(args('--max-failures', '1')), volumeFromSnapshot(stopped.after));
    expect(rerun.code).toBe(0);
    expect(rerun.env.log).toContain('Resuming from checkpoint at index 9 of 21 (42.9%)');
    const reference = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(rerun.after.files.get(PATHS.output)!.equals(reference.after.files.get(PATHS.output)!)).toBe(true);
  });

  it.each(['-1', '1.5', 'many'])('refuses --max-failures %j with exit 2', async (value) => {
    const r = await runOnVolume(tool(args('--max-failures', value)), seedVolume(sampleFiles()));
    expect(r.code).toBe(2);
    expect(r.rec.ops).toEqual([]);
  });

  it('accepts 0 as a limit (no failures allowed)', async () => {
    const r = await runOnVolume(tool(args('--max-failures', '0')), seedVolume(sampleFiles('clean\nlines\n')));
    expect(r.code).toBe(0);
  });
});
