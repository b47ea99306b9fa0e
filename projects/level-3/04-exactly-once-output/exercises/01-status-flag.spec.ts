// Alter it, task 1: `--status` tells where an unfinished run stands, including how much of the
// output no checkpoint counts yet (what the next run will cut), and changes nothing.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, sampleFiles, tool } from '../tests/tool.ts';

async function crashedAfter(lines: number) {
  const crashed = await runOnVolume(tool(args('--simulate-crash', String(lines))), seedVolume(sampleFiles()));
  return crashed.after;
}

describe('--status', () => {
  it('prints the saved position and the uncounted output of an unfinished run as JSON, and exits 0', async () => {
    const state = await crashedAfter(6);
    const saved = JSON.parse(state.files.get(PATHS.checkpoint)!.toString());
    const r = await runOnVolume(tool(args('--status')), volumeFromSnapshot(state));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({
      status: 'in-progress',
      lines_done: saved.lines_done,
      lines: 21,
      percent: '19.0%',
      output_bytes: saved.output_bytes,
      uncounted_bytes: state.files.get(PATHS.output)!.length - saved.output_bytes,
    });
  });

  it('writes nothing: the uncounted lines and a leftover temp file are still there', async () => {
    const vol = volumeFromSnapshot(await crashedAfter(6));
    vol.writeFileSync(PATHS.temp, '{"input_off');
    const r = await runOnVolume(tool(args('--status')), vol);
    expect(r.code).toBe(0);
    expect(r.rec.ops).toEqual([]);
  });

  it('says so when there is no checkpoint', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({ status: 'no-checkpoint' });
  });

  it('still refuses a corrupt checkpoint with exit 65', async () => {
    const r = await runOnVolume(tool(args('--status')), seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: '{"input_off' }));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/is not valid JSON/);
  });

  it('still refuses an output shorter than the checkpoint counts with exit 65', async () => {
    const vol = volumeFromSnapshot(await crashedAfter(6));
    vol.writeFileSync(PATHS.output, 'short');
    const r = await runOnVolume(tool(args('--status')), vol);
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/fewer than the \d+/);
  });
});
