// What memfs cannot show: a real SIGKILL from --simulate-crash, on the real disk, and the
// resume that follows it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runOnVolume, scratchProject, seedVolume } from '../../../../test/kit/index.ts';
import { fileOf, PATHS, PROJECT_DIR, sampleFiles, tool } from './tool.ts';

const RUN = ['--input', 'data/sample_posts.csv', '--output', 'data/results.csv', '--checkpoint', 'data/checkpoint.txt', '--batch-size', '10'];

// The uninterrupted result, computed in memory: the real runs must match it byte for byte.
const expected = fileOf((await runOnVolume(tool(), seedVolume(sampleFiles()))).after, PATHS.output)!;

const scratch = scratchProject(PROJECT_DIR);
afterAll(() => scratch.remove());
const file = (name: string) => join(scratch.dir, 'data', name);

describe('a real process', () => {
  it('killed twice by --simulate-crash exits 137 each time, and a rerun completes byte-identical', async () => {
    const first = await runCli({ cwd: scratch.dir, args: [...RUN, '--simulate-crash', '25'] });
    expect(first.code).toBe(137);
    expect(first.signal).toBe('SIGKILL');
    expect(first.stderr).toMatch(/Simulating a crash after post 24 \(SIGKILL, no cleanup\)/);
    expect(readFileSync(file('checkpoint.txt'), 'utf8')).toBe('20\n');
    // rows for posts 20 and 22 are on disk already, ahead of the checkpoint
    expect(readFileSync(file('results.csv'), 'utf8')).toMatch(/\n22,\d+,keyword:drunk,/);

    const second = await runCli({ cwd: scratch.dir, args: [...RUN, '--simulate-crash', '13'] });
    expect(second.code).toBe(137);
    expect(second.stderr).toMatch(/Resuming from checkpoint at index 20 of 45 \(44\.4%\)/);
    expect(second.stderr).toMatch(/Reconciled data\/results.csv: dropped 2 rows written after the checkpoint/);
    expect(readFileSync(file('checkpoint.txt'), 'utf8')).toBe('30\n');

    const last = await runCli({ cwd: scratch.dir, args: RUN });
    expect(last.code).toBe(0);
    expect(JSON.parse(last.stdout)).toMatchObject({ status: 'completed', posts: 45, resumed_from: 30, audited_this_run: 15 });
    expect(readFileSync(file('results.csv'), 'utf8')).toBe(expected);
    expect(existsSync(file('checkpoint.txt'))).toBe(false);
  });
});
