// What memfs cannot show: a real SIGKILL, a real Ctrl+C, two real processes, on the real disk.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runOnVolume, scratchProject, seedVolume, startCli } from '../../../../test/kit/index.ts';
import { PATHS, PROJECT_DIR, tool } from './tool.ts';

const RUN = ['--input', 'data/long_input.txt', '--output', 'data/out.json', '--checkpoint', 'data/.checkpoint.json', '--batch-size', '3'];
const LONG = Array.from({ length: 900 }, (_, i) => `line ${i} of a long input, ${'word '.repeat(i % 7)}end`).join('\n') + '\n';

// The uninterrupted result, computed in memory: the real runs must match it byte for byte.
const expected = (await runOnVolume(tool(), seedVolume({ [PATHS.input]: LONG }))).after.files.get(PATHS.output)!.toString();

const scratch = scratchProject(PROJECT_DIR);
writeFileSync(join(scratch.dir, 'data/long_input.txt'), LONG);
afterAll(() => scratch.remove());
const output = () => readFileSync(join(scratch.dir, 'data/out.json'), 'utf8');
const checkpointPath = join(scratch.dir, 'data/.checkpoint.json');

/** A small seeded generator, so "random" kill moments are the same on every run of the suite. */
function seeded(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('a real process', { timeout: 90_000 }, () => {
  it('killed by --simulate-crash exits 137, leaves a checkpoint, and a rerun completes byte-identical', async () => {
    const crashed = await runCli({ cwd: scratch.dir, args: [...RUN, '--simulate-crash', '300'] });
    expect(crashed.code).toBe(137);
    expect(crashed.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(checkpointPath, 'utf8')).next_index).toBe(297); // the batch of item 300 was not saved
    const resumed = await runCli({ cwd: scratch.dir, args: RUN });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/which is not running; taking it over/);
    expect(resumed.stderr).toMatch(/Resuming from checkpoint at index 297 of 900 \(33\.0%\)/);
    expect(output()).toBe(expected);
    expect(existsSync(checkpointPath)).toBe(false);
  });

  it('interrupted by SIGINT finishes its batch, saves, exits 130, and resumes byte-identical (G7)', async () => {
    const interrupted = await runCli({ cwd: scratch.dir, args: RUN, signal: { name: 'SIGINT', when: /Checkpoint saved at index 30 / } });
    expect(interrupted.code).toBe(130);
    const stopped = /Interrupted: checkpoint saved at index (\d+) /.exec(interrupted.stderr);
    expect(stopped).not.toBeNull();
    expect(JSON.parse(readFileSync(checkpointPath, 'utf8')).next_index).toBe(Number(stopped![1]));
    expect(JSON.parse(interrupted.stdout).status).toBe('interrupted');
    const resumed = await runCli({ cwd: scratch.dir, args: RUN });
    expect(resumed.code).toBe(0);
    expect(output()).toBe(expected);
  });

  it('refuses a second run while the first holds the lock, naming its pid (G8)', async () => {
    const first = startCli({ cwd: scratch.dir, args: RUN });
    await new Promise<void>((resolve) => first.child.stderr!.on('data', (d: Buffer) => /Checkpoint saved/.test(String(d)) && resolve()));
    first.child.kill('SIGSTOP'); // frozen mid-run, holding the lock, however fast this machine is
    const second = await runCli({ cwd: scratch.dir, args: RUN });
    first.child.kill('SIGKILL');
    await first.done;
    expect(second.code).toBe(75);
    expect(second.stderr.trim()).toBe(`Error: Another run (pid ${first.child.pid}) holds the lock data/.checkpoint.json.lock; wait for it to finish`);
    expect((await runCli({ cwd: scratch.dir, args: RUN })).code).toBe(0);
    expect(output()).toBe(expected);
  });

  it('survives ten SIGKILLs at random moments, each followed by a resume, with byte-identical output', async () => {
    const random = seeded(2026);
    let kills = 0;
    const stoppedAt: number[] = [];
    for (let round = 0; round < 10; round++) {
      // Kill somewhere in the next 0-150 ms of work: mid-batch, mid-fsync, mid-rename.
      const afterMs = Math.floor(random() * 150);
      const killed = await runCli({ cwd: scratch.dir, args: RUN, signal: { name: 'SIGKILL', when: /Starting fresh|Resuming/, afterMs } });
      if (killed.code === 137) kills++;
      if (existsSync(checkpointPath)) stoppedAt.push(JSON.parse(readFileSync(checkpointPath, 'utf8')).next_index);
      else break; // the job finished before the kill landed
    }
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(stoppedAt).toEqual([...stoppedAt].sort((a, b) => a - b)); // progress never goes back
    const last = await runCli({ cwd: scratch.dir, args: RUN });
    expect(last.code).toBe(0);
    expect(output()).toBe(expected);
  }, 180_000); // eleven process starts: slow on a loaded machine, and a timing is never the assertion
});
