// The async generator: numbers with the byte range of their line, from any offset, the same
// whatever the chunk size (a number split across two reads is still one number).
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { BadRecordError } from '../src/errors.ts';
import { numberLines } from '../src/generate.ts';
import { readNumbers, type NumberAt } from '../src/number-stream.ts';
import { args, PATHS, prefix, SAMPLE, SAMPLE_COUNT, sampleFiles, tool } from './tool.ts';

async function collect(content: string | Buffer, from = 0, chunk?: number): Promise<NumberAt[]> {
  const fs = seedVolume({ '/in.txt': content }) as unknown as Parameters<typeof readNumbers>[0];
  const items: NumberAt[] = [];
  for await (const item of readNumbers(fs, '/in.txt', from, chunk)) items.push(item);
  return items;
}

describe('readNumbers', () => {
  it('yields each number with the byte range of its line', async () => {
    expect(await collect('5\n-12\n300\n')).toEqual([
      { value: 5n, start: 0, end: 2 },
      { value: -12n, start: 2, end: 6 },
      { value: 300n, start: 6, end: 10 },
    ]);
  });

  it('starts at a byte offset and yields only what follows it', async () => {
    expect(await collect('5\n-12\n300\n', 6)).toEqual([{ value: 300n, start: 6, end: 10 }]);
    expect(await collect('5\n-12\n300\n', 10)).toEqual([]);
  });

  it.each([1, 2, 3, 5, 7, 64, 4096])('yields the same numbers and offsets with %i-byte chunks (numbers split across reads)', async (chunk) => {
    const items = await collect(SAMPLE, 0, chunk);
    expect(items).toHaveLength(SAMPLE_COUNT);
    for (const k of [1, 2, 17, 60, SAMPLE_COUNT]) {
      expect(items[k - 1]!.end, `end of number ${k}`).toBe(prefix(SAMPLE, k).offset);
    }
    expect(items.reduce((s, i) => s + i.value, 0n)).toBe(prefix(SAMPLE, SAMPLE_COUNT).sum);
  });

  it('counts a last line without a newline, ending at the end of the file', async () => {
    expect(await collect('1\n2', 0, 1)).toEqual([
      { value: 1n, start: 0, end: 2 },
      { value: 2n, start: 2, end: 3 },
    ]);
  });

  it('keeps integers beyond 2^53 exact', async () => {
    const [item] = await collect('9007199254740993\n');
    expect(item!.value).toBe(9007199254740993n);
  });

  it.each([
    ['a word', '1\nabc\n3\n', 2],
    ['a line of spaces', '1\n  \n3\n', 2],
    ['a decimal', '1\n2.5\n', 2],
    ['a Windows line end', '1\r\n2\r\n', 0],
    ['a line too long to be a number', `1\n${'9'.repeat(100)}\n`, 2],
  ])('refuses %s with the byte offset of the line', async (_name, content, at) => {
    await expect(collect(content, 0, 8)).rejects.toThrow(BadRecordError);
    await expect(collect(content, 0, 8)).rejects.toThrow(new RegExp(`not an integer at byte ${at}:`));
  });
});

describe('a line that is not an integer', () => {
  it('stops the run with exit 65, naming the byte, and the checkpoint stays at the last batch before it', async () => {
    const lines = SAMPLE.toString().split('\n');
    lines[34] = 'oops';
    const input = lines.join('\n');
    const r = await runOnVolume(tool(), seedVolume(sampleFiles(input)));
    expect(r.code).toBe(65);
    expect(r.env.log.at(-1)).toBe(`Error: Input ${PATHS.input} has a line that is not an integer at byte ${prefix(input, 34).offset}: "oops"; fix that line or regenerate the input`);
    const cp = JSON.parse(r.after.files.get(PATHS.checkpoint)!.toString());
    expect(cp.count).toBe(30);
    expect(r.after.files.has(PATHS.output)).toBe(false);
  });

  it('once fixed in place past the first 4 KiB (same size: the same fingerprint), lets the run resume from that checkpoint', async () => {
    const good = [...numberLines(1500, 5)].join('');
    const lines = good.split('\n');
    lines[1234] = 'x'.repeat(lines[1234]!.length);
    const broken = await runOnVolume(tool(args('--batch-size', '100')), seedVolume(sampleFiles(lines.join('\n'))));
    expect(broken.code).toBe(65);
    expect(prefix(good, 1234).offset).toBeGreaterThan(4096);
    const vol = seedVolume({ ...sampleFiles(good), [PATHS.checkpoint]: broken.after.files.get(PATHS.checkpoint)! });
    const resumed = await runOnVolume(tool(args('--batch-size', '100')), vol);
    expect(resumed.code).toBe(0);
    expect(resumed.env.log[0]).toMatch(/^Resuming at offset \d+ .*: 1200 numbers summed/);
    expect(JSON.parse(resumed.after.files.get(PATHS.output)!.toString()).sum).toBe(prefix(good, 1500).sum.toString());
  });

  it('once fixed inside the first 4 KiB, refuses the old checkpoint as another input: --force starts over', async () => {
    const lines = SAMPLE.toString().split('\n');
    lines[34] = 'x'.repeat(lines[34]!.length);
    const broken = await runOnVolume(tool(), seedVolume(sampleFiles(lines.join('\n'))));
    const vol = seedVolume({ ...sampleFiles(), [PATHS.checkpoint]: broken.after.files.get(PATHS.checkpoint)! });
    const resumed = await runOnVolume(tool(), vol);
    expect(resumed.code).toBe(65);
    expect(resumed.env.log.at(-1)).toMatch(/another input/);
  });
});
