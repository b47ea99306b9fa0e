// G4: bad flags and missing input are refused before anything is written.
import { describe, expect, it } from 'vitest';
import { runAndDiff, runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { parseArgs } from '../src/args.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

const base = ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.manifest];

function refused(argv: string[], files = sampleFiles()) {
  return runAndDiff(tool(argv), files, [PATHS.dir]);
}

describe('flags', () => {
  it.each(['0', '-1', '1.5', 'abc', '9007199254740993', '', '1e3'])('refuses --batch-size %j with exit 2 before any write', async (value) => {
    const r = await refused([...base, '--batch-size', value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toMatch(/--batch-size/);
    expect(r.ops).toEqual([]);
  });

  it('says what a bad --batch-size should be', async () => {
    const r = await refused([...base, '--batch-size', '0']);
    expect(r.log).toEqual(["Error: --batch-size must be a positive whole number, got '0'", 'Run with --help for usage.']);
  });

  it.each([
    ['--partitions', '0', "Error: --partitions must be a positive whole number, got '0'"],
    ['--partitions', '65', "Error: --partitions must be at most 64, got '65'"],
    ['--partitions', 'two', "Error: --partitions must be a positive whole number, got 'two'"],
    ['--workers', '0', "Error: --workers must be a positive whole number, got '0'"],
    ['--workers', '-2', "Error: --workers must be a positive whole number, got '-2'"],
    ['--workers', '100', "Error: --workers must be at most 64, got '100'"],
    ['--simulate-crash', '0', "Error: --simulate-crash must be a positive whole number, got '0'"],
  ])('refuses %s %j with exit 2 before any write', async (flag, value, message) => {
    const r = await refused([...base, flag, value]);
    expect(r.code).toBe(2);
    expect(r.log[0]).toBe(message);
    expect(r.ops).toEqual([]);
  });

  it.each([
    ['a missing --input', ['--output', PATHS.output, '--checkpoint', PATHS.manifest], /input/],
    ['an unknown flag', [...base, '--threads', '3'], /Unknown argument/i],
    ['a stray value', [...base, 'extra'], /Unknown argument: extra/],
  ])('refuses %s with exit 2', async (_name, argv, message) => {
    const r = await refused(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.log.join('\n')).toMatch(message as RegExp);
    expect(r.ops).toEqual([]);
  });

  it('runs one worker per partition by default, and never more workers than partitions', () => {
    const options = (argv: string[]) => {
      const parsed = parseArgs([...base, ...argv]);
      if (parsed.kind !== 'run') throw new Error('expected a run');
      return parsed.options;
    };
    expect(options([])).toMatchObject({ partitions: 4, workers: 4, batchSize: 1000 });
    expect(options(['--partitions', '3'])).toMatchObject({ partitions: 3, workers: 3 });
    expect(options(['--partitions', '3', '--workers', '2'])).toMatchObject({ partitions: 3, workers: 2 });
    expect(options(['--partitions', '3', '--workers', '8'])).toMatchObject({ partitions: 3, workers: 3 });
  });

  it('prints help with an example and exits 0', async () => {
    const r = await refused(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Examples:/);
    expect(r.out).toMatch(/--partitions 3 --workers 3\s+--batch-size 3/);
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
    expect(r.log.at(-1)).toBe(`Error: Input ${PATHS.input} does not exist; check the --input path`);
    expect(r.ops).toEqual([]);
  });

  it('refuses an input that is a directory with exit 66', async () => {
    const r = await refused(['--input', PATHS.dir, '--output', PATHS.output, '--checkpoint', PATHS.manifest]);
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toMatch(/is a directory/);
    expect(r.ops).toEqual([]);
  });

  it('refuses an output folder that does not exist with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', '/work/nowhere/out.json', '--checkpoint', PATHS.manifest]);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toBe('Error: Output folder /work/nowhere does not exist; create it first');
    expect(r.changes).toEqual([]);
  });

  it('refuses a checkpoint path that is a directory with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.dir]);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toMatch(/Checkpoint \/work\/data is a directory/);
    expect(r.ops).toEqual([]);
  });

  it('processes an empty input to an empty list', async () => {
    const result = await runOnVolume(tool(), seedVolume(sampleFiles('')));
    expect(result.code).toBe(0);
    expect(result.after.files.get(PATHS.output)!.toString()).toBe('[]\n');
    expect(result.env.log).toEqual(expect.arrayContaining(['Partition 0: no items', 'Partition 2: no items']));
  });
});
