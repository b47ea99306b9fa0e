// A real crash: the CLI as a child process on the real disk, killed by SIGKILL from
// --simulate-crash (no finally block runs, nothing is tidied), then run again.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject } from '../../../../test/kit/index.ts';
import { prefix, SAMPLE } from './tool.ts';

const scratch = scratchProject('projects/level-0/01-running-sum');
afterAll(() => scratch.remove());
const run = JSON.parse(readFileSync(join(scratch.dir, 'project.json'), 'utf8')).run as string[];
const data = (name: string) => join(scratch.dir, 'data', name);

describe('the CLI as a real process', () => {
  it('is killed by --simulate-crash (exit 137), and a rerun resumes to output byte-identical to an uninterrupted run', async () => {
    const clean = await runCli({ cwd: scratch.dir, args: run });
    expect(clean.code, clean.stderr).toBe(0);
    const expected = readFileSync(data('sum.json'));
    rmSync(data('sum.json'));

    const crashed = await runCli({ cwd: scratch.dir, args: [...run, '--simulate-crash', '45'] });
    expect(crashed.code).toBe(137);
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stderr).toContain('Simulating a crash after number 45 of this run (SIGKILL)');
    expect(crashed.stdout).toBe('');
    const cp = JSON.parse(readFileSync(data('checkpoint.json'), 'utf8'));
    expect({ offset: cp.offset, count: cp.count, runningSum: cp.runningSum }).toEqual({
      offset: prefix(SAMPLE, 40).offset,
      count: 40,
      runningSum: prefix(SAMPLE, 40).sum.toString(),
    });
    expect(existsSync(data('sum.json'))).toBe(false);

    const resumed = await runCli({ cwd: scratch.dir, args: run });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Resuming at offset ${cp.offset}`);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ count: 120, resumedFromOffset: cp.offset });
    expect(readFileSync(data('sum.json')).equals(expected)).toBe(true);
    expect(readdirSync(join(scratch.dir, 'data')).sort()).toEqual(['sample_numbers.txt', 'sum.json']);
  });
});
