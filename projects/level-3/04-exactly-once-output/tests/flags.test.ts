// G4: bad flags and missing input are refused before anything is written.
import { describe, expect, it } from 'vitest';
import { runAndDiff } from '../../../../test/kit/index.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

const base = ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint];
const BAD_NUMBERS = ['0', '-1', '1.5', 'abc', '9007199254740993', '', '1e3'];

function refused(argv: string[], files: Record<string, string | Buffer> = sampleFiles()) {
  return runAndDiff(tool(argv), files, ['/work/data']);
}

describe('flags', () => {
  it.each(BAD_NUMBERS)('refuses --batch-size %j with exit 2 before any write', async (value) => {
    const r = await refused([...base, '--batch-size', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--batch-size/);
    expect(r.ops).toEqual([]);
  });

  it.each(BAD_NUMBERS)('refuses --checkpoint-every-ms %j with exit 2 before any write', async (value) => {
    const r = await refused([...base, '--checkpoint-every-ms', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--checkpoint-every-ms/);
    expect(r.ops).toEqual([]);
  });

  it('says what a bad value should be', async () => {
    expect((await refused([...base, '--batch-size', '0'])).log[0]).toBe("Error: --batch-size must be a positive whole number, got '0'");
    expect((await refused([...base, '--checkpoint-every-ms', '1.5'])).log[0]).toBe("Error: --checkpoint-every-ms must be a positive whole number, got '1.5'");
  });

  it('refuses --batch-size and --checkpoint-every-ms together: one cadence per run', async () => {
    const r = await refused([...base, '--batch-size', '4', '--checkpoint-every-ms', '100']);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/batch-size and checkpoint-every-ms are mutually exclusive/);
    expect(r.ops).toEqual([]);
  });

  it.each(['0', '-3', 'x'])('refuses --simulate-crash %j with exit 2', async (value) => {
    const r = await refused([...base, '--simulate-crash', value]);
    expect(r.code).toBe(2);
    expect(r.ops).toEqual([]);
  });

  it.each([
    ['a missing --input', ['--output', PATHS.output, '--checkpoint', PATHS.checkpoint], /input/],
    ['a missing --checkpoint', ['--input', PATHS.input, '--output', PATHS.output], /checkpoint/],
    ['an unknown flag', [...base, '--batchsize', '3'], /Unknown argument/i],
    ['a stray value', [...base, 'extra'], /Unknown argument: extra/],
    ['a flag given twice', [...base, '--output', '/work/data/other.jsonl'], /--output was given 2 times/],
    ['the output on the input', ['--input', PATHS.input, '--output', PATHS.input, '--checkpoint', PATHS.checkpoint], /--input and --output name the same file/],
    ['the checkpoint on the output', ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.output], /--output and --checkpoint name the same file/],
  ])('refuses %s with exit 2', async (_name, argv, message) => {
    const r = await refused(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.log.join('\n')).toMatch(message as RegExp);
    expect(r.ops).toEqual([]);
  });

  it('prints help with both cadences in its examples and exits 0', async () => {
    const r = await refused(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Examples:/);
    expect(r.out).toMatch(/--batch-size 4/);
    expect(r.out).toMatch(/--checkpoint-every-ms 250/);
  });

  it('prints its version', async () => {
    expect((await refused(['--version'])).out.trim()).toBe('1.0.0');
  });
});

describe('input and output paths', () => {
  it('refuses a missing input with exit 66 and writes nothing', async () => {
    const r = await refused([...base], {});
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toBe(`Error: Input ${PATHS.input} does not exist; check the --input path`);
    expect(r.ops).toEqual([]);
  });

  it('refuses an input that is a directory with exit 66', async () => {
    const r = await refused(['--input', '/work/data', '--output', PATHS.output, '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toMatch(/is a directory/);
  });

  it('refuses an output folder that does not exist with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', '/work/nowhere/out.jsonl', '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toBe('Error: Output folder /work/nowhere does not exist; create it first');
    expect(r.changes).toEqual([]);
  });

  it('refuses a checkpoint folder that does not exist with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', '/work/nowhere/.checkpoint.json']);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toBe('Error: Checkpoint folder /work/nowhere does not exist; create it first');
    expect(r.ops).toEqual([]);
  });

  it('refuses an output path that is a directory with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', '/work/data', '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toMatch(/Output \/work\/data is a directory/);
  });

  it('refuses a checkpoint path that is a directory with exit 65', async () => {
    const r = await refused(['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', '/work/data']);
    expect(r.code).toBe(65);
    expect(r.log.at(-1)).toMatch(/Checkpoint \/work\/data is a directory/);
    expect(r.ops).toEqual([]);
  });
});
