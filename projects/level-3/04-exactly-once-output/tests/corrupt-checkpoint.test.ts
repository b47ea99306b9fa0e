// G3: every way a checkpoint can be wrong is detected, never guessed: exit 65, a one-line
// message naming the file and what to do, and nothing on the volume changes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { corruptCheckpointCases, diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { args, PATHS, SAMPLE, sampleFiles, tool } from './tool.ts';

// A real checkpoint, as a crash after line 6 leaves it (at line 4), with the output it counts.
const crashed = (await runOnVolume(tool(args('--simulate-crash', '6')), seedVolume(sampleFiles()))).after;
const valid = JSON.parse(crashed.files.get(PATHS.checkpoint)!.toString()) as Record<string, unknown>;
const output = crashed.files.get(PATHS.output)!;

const cases = corruptCheckpointCases({
  valid,
  offsetField: 'input_offset',
  pastEnd: SAMPLE.length + 1,
  schemaField: 'schema_version',
  inputField: 'input_sha256',
  foreignValue: createHash('sha256').update('another input').digest('hex'),
});

async function runWithCheckpoint(content: string) {
  const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: content, [PATHS.output]: output });
  const before = snapshotVolume(vol);
  const result = await runOnVolume(tool(), vol);
  return { result, changes: diffSnapshots(before, result.after), message: result.env.log.at(-1) ?? '' };
}

describe('a corrupt checkpoint', () => {
  it('is built from a checkpoint the tool accepts', async () => {
    const { result } = await runWithCheckpoint(JSON.stringify(valid));
    expect(result.code).toBe(0);
  });

  it.each(cases)('is refused with exit 65 when it is $name, and nothing is written', async ({ content, message }) => {
    const { result, changes, message: line } = await runWithCheckpoint(content);
    expect(result.code).toBe(65);
    expect(line).toMatch(message);
    expect(line).toContain(PATHS.checkpoint);
    expect(line).toMatch(/--force|move it aside/);
    expect(line.split('\n')).toHaveLength(1);
    expect(changes).toEqual([]);
    expect(result.rec.ops).toEqual([]);
    expect(result.env.out).toEqual([]);
  });

  it.each([
    ['lines_done is past the end', { lines_done: 22 }, /lines_done 22 exceeds the input size \(21 lines/],
    ['output_bytes is negative', { output_bytes: -5 }, /invalid output_bytes .* got -5/],
    ['output_bytes is a string', { output_bytes: '320' }, /invalid output_bytes .* got "320"/],
    ['input_offset is not a whole number', { input_offset: 1.5 }, /invalid input_offset .* got 1.5/],
    ['input_offset is in the middle of a line', { input_offset: 3 }, /input_offset 3 is not at the start of a line/],
    ['input_sha256 is not a sha256', { input_sha256: 'abc' }, /invalid input_sha256/],
    ['schema_version is missing', { schema_version: undefined }, /invalid schema_version/],
    ['schema_version is 0', { schema_version: 0 }, /invalid schema_version \(got 0\)/],
  ])('is refused with exit 65 when %s', async (_name, change, message) => {
    const { result, changes, message: line } = await runWithCheckpoint(JSON.stringify({ ...valid, ...change }));
    expect(result.code).toBe(65);
    expect(line).toMatch(message);
    expect(changes).toEqual([]);
  });

  it('names the foreign input and the way out', async () => {
    const { message } = await runWithCheckpoint(JSON.stringify({ ...valid, input_sha256: createHash('sha256').update('x').digest('hex') }));
    expect(message).toBe(
      `Error: Checkpoint ${PATHS.checkpoint} was written for another input (its sha256 differs from ${PATHS.input}'s); restore that input or rerun with --force`,
    );
  });

  it('is refused when the input changed under it, even by one byte at the end', async () => {
    const vol = volumeFromSnapshot(crashed);
    vol.appendFileSync(PATHS.input, 'one more line\n');
    const r = await runOnVolume(tool(), vol);
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toMatch(/written for another input/);
  });

  it('is moved aside, not deleted, by --force, and the run starts over', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: 'not json at all' });
    const r = await runOnVolume(tool(args('--force')), vol);
    expect(r.code).toBe(0);
    const aside = [...r.after.files.keys()].find((p) => p.startsWith(`${PATHS.checkpoint}.bak-`));
    expect(aside).toBe(`${PATHS.checkpoint}.bak-20261125T120000Z`);
    expect(r.after.files.get(aside!)!.toString()).toBe('not json at all');
    expect(r.env.log[0]).toBe(`Moved the old checkpoint aside to ${aside}`);
    expect(r.env.log[1]).toMatch(/^Starting fresh/);
  });

  it('moved aside twice keeps both copies', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: 'second', [`${PATHS.checkpoint}.bak-20261125T120000Z`]: 'first' });
    const r = await runOnVolume(tool(args('--force')), vol);
    expect(r.after.files.get(`${PATHS.checkpoint}.bak-20261125T120000Z`)!.toString()).toBe('first');
    expect(r.after.files.get(`${PATHS.checkpoint}.bak-20261125T120000Z-1`)!.toString()).toBe('second');
  });
});
