// G4: bad flags and a missing input are refused before anything is written.
import { describe, expect, it } from 'vitest';
import { runAndDiff, runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { DEFAULT_BATCH_SIZE, parseArgs } from '../src/args.ts';
import { DEFAULT_COUNT } from '../src/generate.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

const base = ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint];

function refused(argv: string[], files: Record<string, string | Buffer> = sampleFiles()) {
  return runAndDiff(tool(argv), files, ['/work/data']);
}

describe('flags', () => {
  it.each(['0', '-1', '1.5', 'abc', '9007199254740993', '', '1e3', ' 7'])('refuses --batch-size %j with exit 2 before any write', async (value) => {
    const r = await refused([...base, '--batch-size', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--batch-size/);
    expect(r.ops).toEqual([]);
  });

  it('says what a bad --batch-size should be, then where to look', async () => {
    const r = await refused([...base, '--batch-size', '0']);
    expect(r.log).toEqual(["Error: --batch-size must be a positive whole number, got '0'", 'Run with --help for usage.']);
  });

  it.each(['0', '-3', 'x', '2.5'])('refuses --simulate-crash %j with exit 2', async (value) => {
    const r = await refused([...base, '--simulate-crash', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--simulate-crash/);
    expect(r.ops).toEqual([]);
  });

  it.each([
    ['a missing --input', ['--output', PATHS.output, '--checkpoint', PATHS.checkpoint], /input/],
    ['a missing --checkpoint', ['--input', PATHS.input, '--output', PATHS.output], /checkpoint/],
    ['an unknown flag', [...base, '--batchsize', '3'], /Unknown argument/i],
    ['a stray value', [...base, 'extra'], /Unknown argument: extra/],
    ['--batch-size given twice', [...base, '--batch-size', '3', '--batch-size', '4'], /--batch-size was given 2 times/],
    ['--output naming the input', ['--input', PATHS.input, '--output', PATHS.input, '--checkpoint', PATHS.checkpoint], /--input and --output name the same file/],
    ['--checkpoint naming the output', ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.output], /--output and --checkpoint name the same file/],
    ['a generate flag on the sum', [...base, '--seed', '3'], /Unknown argument: seed/],
  ])('refuses %s with exit 2', async (_name, argv, message) => {
    const r = await refused(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.log.join('\n')).toMatch(message as RegExp);
    expect(r.ops).toEqual([]);
  });

  it.each([
    ['--count', '-5'],
    ['--count', '1.5'],
    ['--count', 'many'],
    ['--seed', '-1'],
    ['--seed', '4294967296'],
    ['--seed', 'abc'],
  ])('refuses generate %s %j with exit 2 before any write', async (flag, value) => {
    const r = await refused(['generate', '--output', '/work/data/n.txt', flag, value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toContain(flag);
    expect(r.ops).toEqual([]);
  });

  it('has the defaults the page promises: 10000 numbers per checkpoint, 1,000,000 numbers generated', async () => {
    const sum = await parseArgs(base);
    expect(sum.kind === 'sum' && sum.options.batchSize).toBe(DEFAULT_BATCH_SIZE);
    expect(DEFAULT_BATCH_SIZE).toBe(10000);
    const gen = await parseArgs(['generate', '--output', 'x.txt']);
    expect(gen.kind === 'generate' && gen.options.count).toBe(DEFAULT_COUNT);
    expect(DEFAULT_COUNT).toBe(1_000_000);
  });

  it('prints help with an example for each command and exits 0', async () => {
    const r = await refused(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Examples:/);
    expect(r.out).toMatch(/generate --output data\/numbers.txt --count 1000 --seed 7/);
    expect(r.out).toMatch(/--batch-size 250/);
    expect(r.ops).toEqual([]);
  });

  it('prints its version', async () => {
    const r = await refused(['--version']);
    expect(r.out.trim()).toBe('1.0.0');
  });
});

describe('input and output paths', () => {
  it('refuses a missing input with exit 66 and writes nothing', async () => {
    const r = await refused([...base], {});
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toBe(`Error: Input ${PATHS.input} not found; write one with \`generate --output ${PATHS.input}\` or check --input`);
    expect(r.ops).toEqual([]);
  });

  it('refuses an input that is a folder with exit 66', async () => {
    const r = await refused(['--input', '/work/data', '--output', PATHS.output, '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toMatch(/is not a file/);
    expect(r.ops).toEqual([]);
  });

  it('refuses an output folder that does not exist with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', '/work/nowhere/sum.json', '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toBe('Error: Cannot create /work/nowhere/sum.json: folder /work/nowhere does not exist; create it or fix --output');
    expect(r.changes).toEqual([]);
  });

  it('refuses a checkpoint path that is a folder with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', '/work/data']);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toMatch(/it is a folder; fix --checkpoint/);
    expect(r.ops).toEqual([]);
  });

  it('sums an empty input to 0', async () => {
    const r = await runOnVolume(tool(), seedVolume(sampleFiles('')));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.after.files.get(PATHS.output)!.toString())).toMatchObject({ input: PATHS.input, count: 0, sum: '0' });
  });
});
