// The input is read by byte offset: the fingerprint streams over it in chunks, and the lines
// come from wherever the checkpoint points, never from before it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RecordingFs, seedVolume } from '../../../../test/kit/index.ts';
import type { Fs } from '../src/deps.ts';
import { readLines, scanInput } from '../src/input.ts';
import { transformLine } from '../src/transform-line.ts';

const FILE = '/in.txt';
function fsWith(content: string | Buffer): { fs: Fs; readsAt: number[] } {
  const fs = new RecordingFs(seedVolume({ [FILE]: content })).fs;
  const readsAt: number[] = [];
  const spy = new Proxy(fs, {
    get(target, prop) {
      if (prop !== 'readSync') return target[prop as keyof Fs];
      return (...a: unknown[]) => {
        readsAt.push(a[4] as number);
        return (target.readSync as (...x: unknown[]) => number)(...a);
      };
    },
  });
  return { fs: spy, readsAt };
}
const lines = (content: string | Buffer, offset = 0) => [...readLines(fsWith(content).fs, FILE, offset)].map((l) => ({ text: l.bytes.toString(), end: l.end }));

describe('reading lines by byte offset', () => {
  it('gives each line with the offset where the next one starts', () => {
    expect(lines('ab\ncde\n')).toEqual([
      { text: 'ab', end: 3 },
      { text: 'cde', end: 7 },
    ]);
  });

  it('counts a last line without a newline, and drops a trailing \\r', () => {
    expect(lines('ab\r\ncd')).toEqual([
      { text: 'ab', end: 4 },
      { text: 'cd', end: 6 },
    ]);
  });

  it('starts at the offset: the first read is there, and no read goes before it', () => {
    const { fs, readsAt } = fsWith('one\ntwo\nthree\n');
    expect([...readLines(fs, FILE, 8)].map((l) => l.bytes.toString())).toEqual(['three']);
    expect(readsAt[0]).toBe(8);
    expect(Math.min(...readsAt)).toBe(8);
  });

  it('keeps a line whole across a 64 KiB chunk boundary, even one splitting a UTF-8 character', () => {
    const long = `${'x'.repeat(65_535)}é and more`; // é's two bytes straddle the boundary
    expect(lines(`${long}\nnext\n`)).toEqual([
      { text: long, end: Buffer.byteLength(long) + 1 },
      { text: 'next', end: Buffer.byteLength(long) + 6 },
    ]);
  });
});

describe('the fingerprint', () => {
  it('is the sha256 of the whole file, with its size and line count', () => {
    const content = `${'line\n'.repeat(20_000)}last`; // several chunks
    expect(scanInput(fsWith(content).fs, FILE)).toEqual({
      sha256: createHash('sha256').update(content).digest('hex'),
      size: Buffer.byteLength(content),
      lines: 20_001,
    });
  });
});

describe('the transform', () => {
  it('writes one JSON line per input line: its number, words, a spam flag, the text', () => {
    expect(transformLine(3, Buffer.from('WIN a FREE cruise'))).toBe('{"line":3,"words":4,"spam":true,"text":"WIN a FREE cruise"}\n');
    expect(transformLine(1, Buffer.from(''))).toBe('{"line":1,"words":0,"spam":false,"text":""}\n');
    expect(JSON.parse(transformLine(2, Buffer.from('see https://x.test "quoted"'))).spam).toBe(true);
  });
});
