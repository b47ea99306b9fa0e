// Alter it, task 1: `--status` tells where an unfinished run stands, partition by partition,
// and changes nothing.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, sampleFiles, tool } from '../tests/tool.ts';

/** A run killed after 11 items on one worker: partition 0 done, partition 1 at item 3, partition 2 not started. */
async function crashedRun() {
  const crashed = await runOnVolume(tool(args('--workers', '1', '--simulate-crash', '11')), seedVolume(sampleFiles()));
  return volumeFromSnapshot(crashed.after);
}

describe('--status', () => {
  it('prints each partition\'s saved position and the total as one JSON line, and exits 0', async () => {
    const r = await runOnVolume(tool(args('--status')), await crashedRun());
    expect(r.code).toBe(0);
    expect(r.env.out.join('').endsWith('\n')).toBe(true);
    expect(JSON.parse(r.env.out.join(''))).toEqual({
      status: 'in-progress',
      partitions: [
        { partition: 0, next_item: 7, items: 7 },
        { partition: 1, next_item: 3, items: 7 },
        { partition: 2, next_item: 0, items: 7 },
      ],
      done: 10,
      items: 21,
      percent: '47.6%',
    });
  });

  it('writes nothing and does not take the lock, even the stale one a crash left', async () => {
    const r = await runOnVolume(tool(args('--status')), await crashedRun());
    expect(r.code).toBe(0);
    expect(r.rec.ops).toEqual([]);
    expect(r.after.files.has(PATHS.lock)).toBe(true);
  });

  it('says so when there is no run to report', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({ status: 'no-checkpoint' });
    expect(r.rec.ops).toEqual([]);
  });

  it('still refuses a corrupt partition checkpoint with exit 65', async () => {
    const vol = await crashedRun();
    vol.writeFileSync(PATHS.checkpoint(1), '{"next');
    const r = await runOnVolume(tool(args('--status')), vol);
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/\.part-1\.json is not valid JSON/);
  });
});
