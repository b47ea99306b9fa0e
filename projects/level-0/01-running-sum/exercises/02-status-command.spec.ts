// Alter it 2: a `status` command that reports a checkpoint without touching anything.
//
//   npx tsx project.ts status --input data/numbers.txt --checkpoint data/checkpoint.json
//
// It runs the same checks as a resume (G3: a corrupt or foreign checkpoint is exit 65 with
// the same message) and writes nothing at all, not even the removal of a leftover temp file.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { numberLines } from '../src/generate.ts';
import { args, PATHS, prefix, SAMPLE, sampleFiles, tool } from '../tests/tool.ts';

const status = (...extra: string[]) => tool(['status', '--input', PATHS.input, '--checkpoint', PATHS.checkpoint, ...extra]);
const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()));

describe('Alter it 2: status', () => {
  it('reports where a resume would start: offset, percentage, numbers summed and the running sum', async () => {
    const r = await runOnVolume(status(), volumeFromSnapshot(crashed.after));
    expect(r.code).toBe(0);
    const at = prefix(SAMPLE, 20);
    const pct = `${((at.offset / SAMPLE.length) * 100).toFixed(1)}%`;
    expect(JSON.parse(r.env.out.join(''))).toEqual({
      checkpoint: PATHS.checkpoint,
      exists: true,
      offset: at.offset,
      size: SAMPLE.length,
      percent: pct,
      count: 20,
      runningSum: at.sum.toString(),
    });
    expect(r.env.log).toEqual([`Checkpoint ${PATHS.checkpoint}: offset ${at.offset} of ${SAMPLE.length} bytes (${pct}), 20 numbers summed, running sum ${at.sum}`]);
  });

  it('says so when there is no checkpoint: the next run starts at offset 0', async () => {
    const r = await runOnVolume(status(), seedVolume(sampleFiles()));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.env.out.join(''))).toEqual({ checkpoint: PATHS.checkpoint, exists: false, offset: 0, size: SAMPLE.length, percent: '0.0%', count: 0, runningSum: '0' });
    expect(r.env.log).toEqual([`No checkpoint at ${PATHS.checkpoint}: the next run starts at offset 0`]);
  });

  it('writes nothing, even with a leftover temp file beside the checkpoint', async () => {
    const vol = volumeFromSnapshot(crashed.after);
    vol.writeFileSync(`${PATHS.checkpoint}.tmp`, '{"half');
    const r = await runOnVolume(status(), vol);
    expect(r.code).toBe(0);
    expect(r.rec.ops).toEqual([]);
  });

  it.each([
    ['not JSON', '{"offset": 1', /not valid JSON/],
    ['empty', '', /empty/],
    ['a negative offset', 'NEGATIVE', /offset -1/],
  ])('refuses a checkpoint that is %s with exit 65, like a resume would', async (_name, content, message) => {
    const valid = JSON.parse(crashed.after.files.get(PATHS.checkpoint)!.toString());
    const text = content === 'NEGATIVE' ? JSON.stringify({ ...valid, offset: -1 }) : content;
    const r = await runOnVolume(status(), seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: text }));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(message);
    expect(r.rec.ops).toEqual([]);
  });

  it('refuses a checkpoint written for another input with exit 65', async () => {
    const vol = volumeFromSnapshot(crashed.after);
    vol.writeFileSync(PATHS.input, [...numberLines(120, 99)].join(''));
    const r = await runOnVolume(status(), vol);
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/another input/);
  });

  it('refuses a missing input with exit 66, and a flag of the sum with exit 2', async () => {
    expect((await runOnVolume(status(), seedVolume({}, ['/work/data']))).code).toBe(66);
    expect((await runOnVolume(status('--batch-size', '5'), seedVolume(sampleFiles()))).code).toBe(2);
  });
});
