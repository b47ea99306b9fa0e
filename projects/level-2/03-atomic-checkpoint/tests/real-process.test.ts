// What memfs cannot show: a real SIGKILL and a real Ctrl+C, on a real process and the real disk.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, runOnVolume, scratchProject, seedVolume, startCli } from '../../../../test/kit/index.ts';
import { paths, PROJECT_DIR, SOURCE_NAMES, sampleFiles, tool } from './tool.ts';

const RUN = ['--sources', 'data/sample_sources', '--staging', 'data/staging', '--batch-size', '4'];

// The uninterrupted result, computed in memory: the real runs must match it byte for byte.
const reference = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after;

const scratch = scratchProject(PROJECT_DIR);
afterAll(() => scratch.remove());
// Each test starts from the sample alone, whatever the one before it left.
beforeEach(() => rmSync(join(scratch.dir, 'data/staging'), { recursive: true, force: true }));
const onDisk = (source: string, file: string) => join(scratch.dir, 'data/staging', `source=${source}`, file);
const checkpointOf = (source: string) => JSON.parse(readFileSync(onDisk(source, '.checkpoint.json'), 'utf8'));

/** Every staged file equals the uninterrupted run's, and no checkpoint is left. */
function expectFinishedIdentical(): void {
  for (const source of SOURCE_NAMES) {
    expect(readFileSync(onDisk(source, 'records.jsonl')).equals(reference.files.get(paths(source).staged)!), source).toBe(true);
    expect(existsSync(onDisk(source, '.checkpoint.json')), source).toBe(false);
  }
}

describe('a real process', () => {
  it('killed by --simulate-crash exits 137, leaves its checkpoint, and a rerun finds it and completes byte-identical', async () => {
    const crashed = await runCli({ cwd: scratch.dir, args: [...RUN, '--simulate-crash', '17'] });
    expect(crashed.code).toBe(137);
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stdout).toBe('');
    // record 17 is tiktok's third: bbc is fully staged, tiktok has no checkpoint yet
    const bbc = checkpointOf('bbc');
    expect(bbc).toMatchObject({ last_index: 14, processed_count: 12, source: 'bbc', schema_version: 1 });
    const resumed = await runCli({ cwd: scratch.dir, args: RUN });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`Resuming run ${bbc.run_id}: 3 sources, 41 records, batch size 4`);
    expect(resumed.stderr).toContain('[bbc] Already staged by this run (14 of 14 records)');
    expect(resumed.stderr).toContain('[tiktok] Starting at index 0 of 11');
    expect(JSON.parse(resumed.stdout)).toMatchObject({ run_id: bbc.run_id, status: 'completed' });
    expectFinishedIdentical();
  });

  it('interrupted by SIGINT finishes its batch, saves, exits 130, and resumes byte-identical (G7)', async () => {
    const interrupted = await runCli({
      cwd: scratch.dir,
      args: [...RUN, '--pause-ms', '300'],
      signal: { name: 'SIGINT', when: /\[bbc\] Checkpoint saved at index 4 / },
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.signal).toBeNull(); // it exited by itself, after saving
    expect(interrupted.stderr).toContain('Interrupt received: finishing this batch and saving');
    const stopped = /Interrupted: \[bbc\] checkpoint saved at index (\d+) /.exec(interrupted.stderr);
    expect(stopped).not.toBeNull();
    const saved = checkpointOf('bbc');
    expect(saved.last_index).toBe(Number(stopped![1]));
    expect(readFileSync(onDisk('bbc', 'records.jsonl'), 'utf8').split('\n').length - 1).toBe(saved.processed_count);
    expect(JSON.parse(interrupted.stdout).status).toBe('interrupted');
    const resumed = await runCli({ cwd: scratch.dir, args: RUN });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`[bbc] Resuming at index ${saved.last_index} of 14`);
    expectFinishedIdentical();
  });

  it('stops at once on a second SIGINT, with exit 130 and a valid checkpoint a rerun resumes from', async () => {
    // The kit sends one signal; the second one is sent here, as soon as the tool says it got the first.
    const { child, done } = startCli({
      cwd: scratch.dir,
      args: [...RUN, '--pause-ms', '5000'],
      signal: { name: 'SIGINT', when: /\[bbc\] Checkpoint saved at index 4 / },
    });
    let seen = '';
    child.stderr!.on('data', (d) => {
      seen += d;
      if (seen.includes('Interrupt received') && !seen.includes('Second interrupt')) child.kill('SIGINT');
    });
    const interrupted = await done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('Second interrupt: stopping at once; the last saved checkpoints stand');
    expect(interrupted.stderr).not.toContain('Interrupted: ');
    expect(interrupted.stdout).toBe('');
    const saved = checkpointOf('bbc');
    expect(saved).toMatchObject({ last_index: 4, processed_count: 3, source: 'bbc' });
    // what it counts is on disk, exactly as an uninterrupted run stages it: a resume goes on from here
    const staged = readFileSync(onDisk('bbc', 'records.jsonl'));
    expect(staged.toString().split('\n').length - 1).toBe(3);
    expect(reference.files.get(paths('bbc').staged)!.subarray(0, staged.length).equals(staged)).toBe(true);
  });
});
