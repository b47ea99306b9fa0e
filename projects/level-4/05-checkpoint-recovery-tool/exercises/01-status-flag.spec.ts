// Alter it, task 1: `--status` tells where an unfinished run stands, and changes nothing.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, sampleFiles, tool } from '../tests/tool.ts';

async function crashedAfter(items: number) {
  const crashed = await runOnVolume(tool(args('--simulate-crash', String(items))), seedVolume(sampleFiles()));
  return volumeFromSnapshot(crashed.after);
}

describe('--status', () => {
  it('prints the saved position of an unfinished run as JSON and exits 0', async () => {
    const r = await runOnVolume(tool(args('--status')), await crashedAfter(10));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({ status: 'in-progress', next_index: 9, items: 21, percent: '42.9%' });
  });

  it('writes nothing and does not take the lock, even the stale one a crash left', async () => {
    const r = await runOnVolume(tool(args('--status')), await crashedAfter(10));
    expect(r.rec.ops).toEqual([]);
    expect(r.after.files.has(PATHS.lock)).toBe(true);
  });

  it('says so when there is no checkpoint', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({ status: 'no-checkpoint' });
  });

  it('still refuses a corrupt checkpoint with exit 65', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: '{"next' }));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/is not valid JSON/);
  });
});
