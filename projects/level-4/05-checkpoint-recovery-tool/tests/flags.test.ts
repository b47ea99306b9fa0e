// G4: bad flags and missing input are refused before anything is written.
import { describe, expect, it } from 'vitest';
import { runAndDiff, runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { PATHS, sampleFiles, tool } from './tool.ts';

const base = ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint];

function refused(argv: string[], files = sampleFiles()) {
  return runAndDiff(tool(argv), files, ['/work/data']);
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
    expect(r.log[0]).toBe("Error: --batch-size must be a positive whole number, got '0'");
  });

  it.each(['0', '-3', 'x'])('refuses --simulate-crash %j with exit 2', async (value) => {
    const r = await refused([...base, '--simulate-crash', value]);
    expect(r.code).toBe(2);
    expect(r.ops).toEqual([]);
  });

  it.each([
    ['a missing --input', ['--output', PATHS.output, '--checkpoint', PATHS.checkpoint], /input/],
    ['an unknown flag', [...base, '--batchsize', '3'], /Unknown argument/i],
    ['a stray value', [...base, 'extra'], /Unknown argument: extra/],
  ])('refuses %s with exit 2', async (_name, argv, message) => {
    const r = await refused(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.log.join('\n')).toMatch(message as RegExp);
    expect(r.ops).toEqual([]);
  });

  it('prints help with an example and exits 0', async () => {
    const r = await refused(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Examples:/);
    expect(r.out).toMatch(/--batch-size 3/);
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
    const r = await refused(['--input', '/work/data', '--output', PATHS.output, '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(66);
    expect(r.log.at(-1)).toMatch(/is a directory/);
  });

  it('refuses an output folder that does not exist with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', '/work/nowhere/out.json', '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toBe('Error: Output folder /work/nowhere does not exist; create it first');
    expect(r.changes).toEqual([]);
  });

  it('refuses an output path that is a directory with exit 73', async () => {
    const r = await refused(['--input', PATHS.input, '--output', '/work/data', '--checkpoint', PATHS.checkpoint]);
    expect(r.code).toBe(73);
    expect(r.log.at(-1)).toMatch(/is a directory/);
  });

  it('processes an empty input to an empty list', async () => {
    const vol = seedVolume(sampleFiles(''));
    const result = await runOnVolume(tool(), vol);
    expect(result.code).toBe(0);
    expect(result.after.files.get(PATHS.output)!.toString()).toBe('[]\n');
  });
});
