// Alter it, task 1: `--status` shows where each source of an unfinished run stands, as the
// guide's "checkpoint monitoring" wants it, and changes nothing.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, paths, sampleFiles, tool } from '../tests/tool.ts';

async function crashedAfter(records: number) {
  const crashed = await runOnVolume(tool(args('--simulate-crash', String(records))), seedVolume(sampleFiles()));
  return volumeFromSnapshot(crashed.after);
}

describe('--status', () => {
  it('prints each source\'s saved position as one JSON line and exits 0', async () => {
    const r = await runOnVolume(tool(args('--status')), await crashedAfter(20));
    expect(r.code).toBe(0);
    expect(r.env.out.join('').split('\n')).toHaveLength(2); // one line and its newline
    expect(JSON.parse(r.env.out.join(''))).toEqual({
      bbc: { last_index: 14, of: 14, percent: '100.0%', run_id: 'run-2026-11-25T12:00:00.000Z' },
      tiktok: { last_index: 4, of: 11, percent: '36.4%', run_id: 'run-2026-11-25T12:00:00.000Z' },
      wikipedia: null,
    });
  });

  it('writes nothing, and the run that follows still resumes', async () => {
    const vol = await crashedAfter(10);
    const r = await runOnVolume(tool(args('--status')), vol);
    expect(r.code).toBe(0);
    expect(r.rec.ops).toEqual([]);
    const resumed = await runOnVolume(tool(), volumeFromSnapshot(r.after));
    expect(resumed.env.log).toContain('[bbc] Resuming at index 8 of 14 (57.1%)');
  });

  it('shows every source as null when there is no checkpoint', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({ bbc: null, tiktok: null, wikipedia: null });
    expect(r.rec.ops).toEqual([]);
  });

  it('still refuses a corrupt checkpoint with exit 65', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume({ ...sampleFiles(), [paths('bbc').checkpoint]: '{"last_index' }));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/is not valid JSON/);
  });
});
