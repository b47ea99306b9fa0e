// G3: every way a checkpoint can be wrong is detected, never guessed: exit 65, a one-line
// message naming the file and what to do, and nothing on the volume changes.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { corruptCheckpointCases, diffSnapshots, runOnVolume, seedVolume, snapshotVolume } from '../../../../test/kit/index.ts';
import { args, PATHS, SAMPLE, SAMPLE_ITEMS, sampleFiles, tool } from './tool.ts';

const valid = {
  schema_version: 1,
  input_sha256: createHash('sha256').update(SAMPLE).digest('hex'),
  next_index: 3,
  input_offset: 0,
  staged_bytes: 0,
  failed_count: 0,
  updated_at: '2026-11-25T12:00:00.000Z',
};

const cases = corruptCheckpointCases({
  valid,
  offsetField: 'next_index',
  pastEnd: SAMPLE_ITEMS + 1,
  schemaField: 'schema_version',
  inputField: 'input_sha256',
  foreignValue: createHash('sha256').update('another input').digest('hex'),
});

async function runWithCheckpoint(content: string, extra: Record<string, string> = {}) {
  const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: content, [PATHS.staged]: '', ...extra });
  const before = snapshotVolume(vol);
  const result = await runOnVolume(tool(), vol);
  return { result, changes: diffSnapshots(before, result.after), message: result.env.log.at(-1) ?? '' };
}

describe('a corrupt checkpoint', () => {
  it.each(cases)('is refused with exit 65 when it is $name, and nothing is written', async ({ content, message }) => {
    const { result, changes, message: line } = await runWithCheckpoint(content);
    expect(result.code).toBe(65);
    expect(line).toMatch(message);
    expect(line).toContain(PATHS.checkpoint);
    expect(line).toMatch(/--force|move it aside/);
    expect(line.split('\n')).toHaveLength(1);
    expect(changes).toEqual([]);
    expect(result.env.out).toEqual([]);
  });

  it('is refused when the input offset is past the end of the input', async () => {
    const { result, message } = await runWithCheckpoint(JSON.stringify({ ...valid, input_offset: SAMPLE.length + 1 }));
    expect(result.code).toBe(65);
    expect(message).toMatch(/input_offset \d+ exceeds the input size/);
  });

  it('is refused when the staged results are shorter than the checkpoint counts', async () => {
    const { result, changes, message } = await runWithCheckpoint(JSON.stringify({ ...valid, staged_bytes: 50 }), { [PATHS.staged]: 'short' });
    expect(result.code).toBe(65);
    expect(message).toMatch(/hold 5 bytes, fewer than the 50/);
    expect(changes).toEqual([]);
  });

  it('is refused when the staged results are missing', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: JSON.stringify(valid) });
    const result = await runOnVolume(tool(), vol);
    expect(result.code).toBe(65);
    expect(result.env.log.at(-1)).toMatch(/Staged results .* are missing/);
  });

  it('is refused when it counts more failures than items', async () => {
    const { result, message } = await runWithCheckpoint(JSON.stringify({ ...valid, failed_count: 4 }));
    expect(result.code).toBe(65);
    expect(message).toMatch(/failed_count 4 exceeds next_index 3/);
  });

  it('is never read from a leftover temp file: a torn .tmp beside a good checkpoint is ignored (G2)', async () => {
    const vol = seedVolume({ ...sampleFiles(), [`${PATHS.checkpoint}.tmp`]: '{"next_ind' });
    const result = await runOnVolume(tool(), vol);
    expect(result.code).toBe(0);
    expect(result.env.log[0]).toMatch(/^Starting fresh/);
  });

  it('is moved aside, not deleted, by --force, and the run starts over', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: 'not json at all' });
    const result = await runOnVolume(tool(args('--force')), vol);
    expect(result.code).toBe(0);
    const aside = [...result.after.files.keys()].find((p) => p.startsWith(`${PATHS.checkpoint}.bak-`));
    expect(aside).toBe(`${PATHS.checkpoint}.bak-20261125T120000Z`);
    expect(result.after.files.get(aside!)!.toString()).toBe('not json at all');
    expect(result.env.log[0]).toBe(`Moved the old checkpoint aside to ${aside}`);
  });

  it('keeps both backups when --force runs twice in the same second', async () => {
    const first = `${PATHS.checkpoint}.bak-20261125T120000Z`;
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: 'the second one', [first]: 'the first one' });
    const result = await runOnVolume(tool(args('--force')), vol);
    expect(result.code).toBe(0);
    expect(result.after.files.get(first)!.toString()).toBe('the first one');
    expect(result.after.files.get(`${first}-1`)!.toString()).toBe('the second one');
  });
});
