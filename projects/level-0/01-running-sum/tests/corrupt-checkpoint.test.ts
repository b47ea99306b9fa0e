// G3: every way a checkpoint can be wrong is detected, never guessed: exit 65, a one-line
// message naming the file and what to do, and nothing on the volume changes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corruptCheckpointCases, diffSnapshots, runOnVolume, seedVolume, snapshotVolume, volumeFromSnapshot } from '../../../../test/kit/index.ts';
import { numberLines } from '../src/generate.ts';
import { args, PATHS, SAMPLE, sampleFiles, tool } from './tool.ts';

// A checkpoint the tool really wrote: crash after 25 numbers, the checkpoint counts 20.
const crashed = await runOnVolume(tool(args('--simulate-crash', '25')), seedVolume(sampleFiles()));
const validText = crashed.after.files.get(PATHS.checkpoint)!.toString();
const valid = JSON.parse(validText) as Record<string, unknown>;

const cases = corruptCheckpointCases({
  valid,
  offsetField: 'offset',
  pastEnd: SAMPLE.length + 1,
  schemaField: 'schemaVersion',
  inputField: 'input',
  foreignValue: { size: SAMPLE.length, headSha256: 'ab'.repeat(32) },
});

const more = [
  { name: 'offset not at the start of a line', content: JSON.stringify({ ...valid, offset: (valid.offset as number) - 2 }), message: /not the start of a line/ },
  { name: 'runningSum a JSON number', content: JSON.stringify({ ...valid, runningSum: 123 }), message: /runningSum 123, which is not a string of decimal digits/ },
  { name: 'runningSum not digits', content: JSON.stringify({ ...valid, runningSum: '12x' }), message: /runningSum/ },
  { name: 'count negative', content: JSON.stringify({ ...valid, count: -1 }), message: /count -1/ },
  { name: 'count more than bytes', content: JSON.stringify({ ...valid, count: 10_000 }), message: /count 10000, more numbers than/ },
  { name: 'input missing', content: JSON.stringify({ ...valid, input: undefined }), message: /input missing/ },
  { name: 'input of the wrong shape', content: JSON.stringify({ ...valid, input: 'sample' }), message: /not \{size, headSha256\}/ },
  { name: 'schemaVersion missing', content: JSON.stringify({ ...valid, schemaVersion: undefined }), message: /no valid schemaVersion/ },
  { name: 'a torn write (the first half of a real checkpoint)', content: validText.slice(0, validText.length / 2), message: /not valid JSON/ },
];

async function runWithCheckpoint(content: string) {
  const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: content });
  const before = snapshotVolume(vol);
  const result = await runOnVolume(tool(), vol);
  return { result, changes: diffSnapshots(before, result.after), message: result.env.log.at(-1) ?? '' };
}

describe('a corrupt checkpoint', () => {
  it.each([...cases, ...more])('is refused with exit 65 when it is $name, and nothing is written', async ({ content, message }) => {
    const { result, changes, message: line } = await runWithCheckpoint(content);
    expect(result.code).toBe(65);
    expect(line).toMatch(message);
    expect(line).toContain(PATHS.checkpoint);
    expect(line).toMatch(/--force|move it aside/);
    expect(line.split('\n')).toHaveLength(1);
    expect(result.rec.ops).toEqual([]);
    expect(changes).toEqual([]);
    expect(result.env.out).toEqual([]);
  });

  it('is accepted as written by the tool: the valid fixture resumes to the exact sum', async () => {
    const { result } = await runWithCheckpoint(validText);
    expect(result.code).toBe(0);
    expect(result.env.log[0]).toMatch(/^Resuming at offset \d+ \(\d+\.\d%\) from .*: 20 numbers summed/);
  });

  it('written for another input is refused: the same file regenerated with another seed (seed 003 fault 2)', async () => {
    const other = [...numberLines(120, 8)].join('');
    const vol = volumeFromSnapshot(crashed.after);
    vol.writeFileSync(PATHS.input, other);
    const before = snapshotVolume(vol);
    const result = await runOnVolume(tool(), vol);
    expect(result.code).toBe(65);
    expect(result.env.log.at(-1)).toMatch(/was written for another input .*; restore that input, or rerun with --force/);
    expect(diffSnapshots(before, result.after)).toEqual([]);
  });

  it('written for another input is refused when only the size differs (a line appended)', async () => {
    const vol = volumeFromSnapshot(crashed.after);
    vol.appendFileSync(PATHS.input, '5\n');
    const result = await runOnVolume(tool(), vol);
    expect(result.code).toBe(65);
    expect(result.env.log.at(-1)).toMatch(/another input/);
  });

  it('is never read from a leftover temp file: a temp beside the checkpoint is removed and the run resumes from the checkpoint (G2)', async () => {
    const lying = JSON.stringify({ ...valid, offset: 0, count: 0, runningSum: '999999999' });
    const vol = volumeFromSnapshot(crashed.after);
    vol.writeFileSync(`${PATHS.checkpoint}.tmp`, lying);
    const result = await runOnVolume(tool(), vol);
    expect(result.code).toBe(0);
    expect(result.env.log).toContain(`Removed leftover temp file ${PATHS.checkpoint}.tmp (a save was cut off; it was never used)`);
    const reference = await runOnVolume(tool(), seedVolume(sampleFiles()));
    expect(diffSnapshots(reference.after, result.after)).toEqual([]);
  });

  it('is moved aside, not deleted, by --force, and the run starts over', async () => {
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: 'not json at all' });
    const result = await runOnVolume(tool(args('--force')), vol);
    expect(result.code).toBe(0);
    const aside = `${PATHS.checkpoint}.bak-20261125T120000Z`;
    expect(result.after.files.get(aside)!.toString()).toBe('not json at all');
    expect(result.env.log[0]).toBe(`Moved checkpoint ${PATHS.checkpoint} aside to ${aside} (--force)`);
    expect(result.env.log[1]).toMatch(/^Starting at offset 0/);
    expect(result.after.files.has(PATHS.checkpoint)).toBe(false);
  });

  it('keeps an earlier backup when --force runs twice in the same second', async () => {
    const aside = `${PATHS.checkpoint}.bak-20261125T120000Z`;
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: 'second', [aside]: 'first' });
    const result = await runOnVolume(tool(args('--force')), vol);
    expect(result.code).toBe(0);
    expect(result.after.files.get(aside)!.toString()).toBe('first');
    expect(result.after.files.get(`${aside}-2`)!.toString()).toBe('second');
  });
});

describe('the data breaks in project.json', () => {
  const manifest = JSON.parse(readFileSync(new URL('../project.json', import.meta.url), 'utf8')) as {
    run: string[];
    dataBreaks: Array<{ name: string; write: { path: string; content: string }; prepare?: string[][]; expect: { code: number; message: string } }>;
  };
  const abs = (p: string) => (p.startsWith('data/') ? `/work/${p}` : p);

  it('cover every case the course lists, or the README says why not', () => {
    const names = manifest.dataBreaks.map((b) => b.name);
    for (const name of ['not-json', 'empty', 'wrong-type', 'negative-offset', 'offset-past-end', 'newer-schema', 'foreign-input', 'leftover-temp', 'crash-mid-write']) {
      expect(names).toContain(name);
    }
  });

  it.each(manifest.dataBreaks.map((b) => [b.name, b] as const))('%s does what it says to the sample', async (_name, brk) => {
    let vol = seedVolume(sampleFiles());
    for (const prep of brk.prepare ?? []) vol = volumeFromSnapshot((await runOnVolume(tool(prep.map(abs)), vol)).after);
    vol.writeFileSync(abs(brk.write.path), brk.write.content);
    const result = await runOnVolume(tool(manifest.run.map(abs)), vol);
    expect(result.code).toBe(brk.expect.code);
    expect(result.env.log.join('\n')).toContain(brk.expect.message);
  });
});
