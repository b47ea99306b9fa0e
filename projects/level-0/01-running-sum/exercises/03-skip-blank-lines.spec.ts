// Alter it 3: skip blank lines instead of refusing them.
//
// An empty line holds no number but it still takes a byte. The offset counts bytes, the
// count counts numbers: after this change they drift apart even more, and a resume must
// still land exactly after the last number summed.
import { describe, expect, it } from 'vitest';
import { resumeToEnd, runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { readNumbers, type NumberAt } from '../src/number-stream.ts';
import { args, PATHS, SAMPLE, sampleFiles, tool } from '../tests/tool.ts';

// The sample with blank lines here and there: one after every 4th number, two after every 9th.
const numbers = SAMPLE.toString().trim().split('\n').slice(0, 40);
const INPUT = '\n' + numbers.map((n, i) => n + '\n' + ((i + 1) % 4 === 0 ? '\n' : '') + ((i + 1) % 9 === 0 ? '\n\n' : '')).join('');

describe('Alter it 3: blank lines', () => {
  it('skips empty lines: they add nothing and count for nothing', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles('1\n\n2\n\n\n3\n\n')));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.after.files.get(PATHS.output)!.toString())).toMatchObject({ count: 3, sum: '6' });
  });

  it('yields each number with the byte range of its own line, blank lines left out', async () => {
    const fs = seedVolume({ '/in.txt': '\n5\n\n-12\n' }) as unknown as Parameters<typeof readNumbers>[0];
    const items: NumberAt[] = [];
    for await (const item of readNumbers(fs, '/in.txt', 0, 2)) items.push(item);
    expect(items).toEqual([
      { value: 5n, start: 1, end: 3 },
      { value: -12n, start: 4, end: 8 },
    ]);
  });

  it('sums an input with blank lines to the exact total, and counts only numbers', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles(INPUT)));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.after.files.get(PATHS.output)!.toString())).toMatchObject({
      count: 40,
      sum: numbers.map(BigInt).reduce((a, b) => a + b).toString(),
    });
  });

  it('resumes to identical output after a crash at any number, blank lines or not', async () => {
    const reference = (await runOnVolume(tool(args('--batch-size', '3')), seedVolume(sampleFiles(INPUT)))).after;
    for (let n = 1; n <= 40; n++) {
      const crashed = await runOnVolume(tool(args('--batch-size', '3', '--simulate-crash', String(n))), seedVolume(sampleFiles(INPUT)));
      expect(await resumeToEnd(tool(args('--batch-size', '3')), crashed.after, reference), `crash after number ${n}`).toBeUndefined();
    }
  });

  it('still refuses a line of spaces and a Windows line end', async () => {
    expect((await runOnVolume(tool(), seedVolume(sampleFiles('1\n  \n2\n')))).code).toBe(65);
    expect((await runOnVolume(tool(), seedVolume(sampleFiles('1\r\n2\r\n')))).code).toBe(65);
  });
});
