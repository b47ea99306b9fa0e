// Alter it, task 3: `--status` says where an unfinished run stands and what a resume would do
// to the results file (how many rows it would keep and how many it would drop), changing
// nothing. It is the reconciliation, planned and reported, never applied.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, sampleFiles, tool } from '../tests/tool.ts';

async function crashedAfter(posts: number) {
  const crashed = await runOnVolume(tool(args('--simulate-crash', String(posts))), seedVolume(sampleFiles()));
  return volumeFromSnapshot(crashed.after);
}

describe('--status', () => {
  it('prints the checkpoint, the progress, and the rows a resume would keep and drop, as JSON', async () => {
    const r = await runOnVolume(tool(args('--status')), await crashedAfter(25));
    expect(r.code).toBe(0);
    // posts 10, 13 and 17 are flagged before the checkpoint; 20 and 22 after it
    expect(JSON.parse(r.env.out.join(''))).toEqual({ status: 'in-progress', next_index: 20, posts: 45, percent: '44.4%', rows_kept: 3, rows_to_drop: 2 });
  });

  it('writes nothing, not even the reconciliation it reports', async () => {
    const r = await runOnVolume(tool(args('--status')), await crashedAfter(25));
    expect(r.rec.ops).toEqual([]);
  });

  it('says so when there is no checkpoint', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({ status: 'no-checkpoint' });
  });

  it('still refuses a corrupt checkpoint with exit 65 and the seed message', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: '' }));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/Corrupted checkpoint file .*: expected integer, got ''/);
  });
});
