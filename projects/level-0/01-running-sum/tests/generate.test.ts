// `generate`: seeded, so the same --seed writes the same bytes; atomic, so a crash never
// leaves half a numbers file under the input's name.
import { describe, expect, it } from 'vitest';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { MAX_ABS } from '../src/generate.ts';
import { SAMPLE, SAMPLE_COUNT, tool } from './tool.ts';

const OUT = '/work/data/numbers.txt';

async function generate(...extra: string[]) {
  const r = await runOnVolume(tool(['generate', '--output', OUT, ...extra]), seedVolume({}, ['/work/data']));
  return { ...r, text: r.after.files.get(OUT)?.toString() ?? '' };
}

describe('generate', () => {
  it('writes the same file for the same --seed, and another for another seed', async () => {
    const a = await generate('--count', '500', '--seed', '42');
    const b = await generate('--count', '500', '--seed', '42');
    const c = await generate('--count', '500', '--seed', '43');
    expect(a.code).toBe(0);
    expect(a.text).toBe(b.text);
    expect(a.text).not.toBe(c.text);
  });

  it('writes --count integers from -999,999 to 999,999, one per line, of varied lengths', async () => {
    const { text, env } = await generate('--count', '2000', '--seed', '1');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2000);
    for (const line of lines) {
      expect(line).toMatch(/^-?\d+$/);
      expect(Math.abs(Number(line))).toBeLessThanOrEqual(MAX_ABS);
    }
    expect(new Set(lines.map((l) => l.length)).size).toBeGreaterThan(3);
    expect(JSON.parse(env.out.join(''))).toEqual({ output: OUT, count: 2000, seed: 1, bytes: text.length });
  });

  it('reproduces the committed sample: data/sample_numbers.txt is generate --count 120 --seed 7', async () => {
    const { text } = await generate('--count', String(SAMPLE_COUNT), '--seed', '7');
    expect(text).toBe(SAMPLE.toString());
  });

  it('takes a seed from the clock when none is given, and says which, so the file can be made again', async () => {
    const { code, env, text } = await generate('--count', '10');
    expect(code).toBe(0);
    const seed = /using seed (\d+) \(pass --seed \1 to write this file again\)/.exec(env.log[0]!)?.[1];
    expect(seed).toBeDefined();
    expect((await generate('--count', '10', '--seed', seed!)).text).toBe(text);
  });

  it('writes a temp file and renames it, so the numbers file is never half written', async () => {
    const { rec } = await generate('--count', '25000', '--seed', '3');
    expect(rec.ops.map((op) => `${op.kind} ${op.path}`)).toEqual([`open ${OUT}.tmp`, `write ${OUT}.tmp`, `write ${OUT}.tmp`, `write ${OUT}.tmp`, `rename ${OUT}.tmp`]);
  });

  it('writes an empty file for --count 0', async () => {
    const { code, text } = await generate('--count', '0', '--seed', '3');
    expect(code).toBe(0);
    expect(text).toBe('');
  });

  it('refuses an output folder that does not exist with exit 73', async () => {
    const r = await runOnVolume(tool(['generate', '--output', '/nowhere/n.txt', '--count', '5']), seedVolume({}));
    expect(r.code).toBe(73);
    expect(r.rec.ops).toEqual([]);
  });
});
