// The work on each item, and the rule that one bad item does not sink its batch.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { processItem, processOrRecord } from '../src/process-item.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

describe('processing an item', () => {
  it('reports the facts the seed reports: length, word count, upper case', () => {
    expect(processItem(4, Buffer.from('  two  words '))).toEqual({
      index: 4,
      original: '  two  words ',
      length: 13,
      word_count: 2,
      uppercase: '  TWO  WORDS ',
    });
  });

  it('counts characters, not bytes', () => {
    expect(processItem(1, Buffer.from('café ☕')).length).toBe(6);
  });

  it('drops a byte-order mark from the first item only', () => {
    expect(processItem(0, Buffer.from('\uFEFFhello')).original).toBe('hello');
    expect(processItem(1, Buffer.from('\uFEFFhello')).original).toBe('\uFEFFhello');
  });

  it('records a line that is not UTF-8 with its reason instead of throwing', () => {
    expect(processOrRecord(7, Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toEqual({ index: 7, original: 'caf\uFFFD', error: 'not valid UTF-8' });
  });
});

describe('a bad item in a batch', () => {
  it('is recorded in the output with its reason while the rest of its batch is processed', async () => {
    const result = await runOnVolume(tool(), seedVolume(sampleFiles()));
    const output = JSON.parse(result.after.files.get(PATHS.output)!.toString()) as Array<Record<string, unknown>>;
    expect(output).toHaveLength(21);
    expect(output.filter((r) => 'error' in r).map((r) => r.index)).toEqual([7]);
    expect(output[6]!.uppercase).toBe('RESUME WHERE THE LAST CHECKPOINT SAYS');
    expect(output[8]!.uppercase).toBe('NEVER TRUST A HALF-WRITTEN FILE');
    expect(result.env.log).toContain('Item 7 failed: not valid UTF-8 (recorded; the batch goes on)');
    expect(JSON.parse(result.env.out.join(''))).toMatchObject({ items: 21, ok: 20, failed: 1 });
  });

  it('reads CRLF line endings as the same items', async () => {
    const lf = await runOnVolume(tool(), seedVolume(sampleFiles('one\ntwo words\n')));
    const crlf = await runOnVolume(tool(), seedVolume(sampleFiles('one\r\ntwo words\r\n')));
    expect(crlf.after.files.get(PATHS.output)!.toString()).toBe(lf.after.files.get(PATHS.output)!.toString());
  });
});
