// What memfs cannot show: a real SIGKILL and a real Ctrl+C, on the real disk.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runOnVolume, scratchProject, seedVolume, startCli } from '../../../../test/kit/index.ts';
import { args, PATHS, PROJECT_DIR, sampleFiles, tool } from './tool.ts';

const SAMPLE_RUN = ['--input', 'data/sample_input.txt', '--output', 'data/output.jsonl', '--checkpoint', 'data/.checkpoint.json', '--batch-size', '4'];
const LONG_LINES = 3000;
const LONG = Array.from({ length: LONG_LINES }, (_, i) => `line ${i} of a long input, ${'word '.repeat(i % 7)}end`).join('\n') + '\n';
const longRun = (...extra: string[]) => ['--input', 'data/long_input.txt', '--output', 'data/long.jsonl', '--checkpoint', 'data/.long.json', ...extra];

// The uninterrupted results, computed in memory: the real runs must match them byte for byte.
const expectedSample = (await runOnVolume(tool(), seedVolume(sampleFiles()))).after.files.get(PATHS.output)!.toString();
const expectedLong = (await runOnVolume(tool(args('--batch-size', '1000')), seedVolume(sampleFiles(LONG)))).after.files.get(PATHS.output)!.toString();

const scratch = scratchProject(PROJECT_DIR);
writeFileSync(join(scratch.dir, 'data/long_input.txt'), LONG);
afterAll(() => scratch.remove());
const read = (name: string) => readFileSync(join(scratch.dir, 'data', name), 'utf8');
const exists = (name: string) => existsSync(join(scratch.dir, 'data', name));

describe('a real process', () => {
  it('killed by --simulate-crash exits 137 with uncounted lines in the output, and a rerun cuts them and completes byte-identical', async () => {
    const crashed = await runCli({ cwd: scratch.dir, args: [...SAMPLE_RUN, '--simulate-crash', '6'] });
    expect(crashed.code).toBe(137);
    expect(crashed.signal).toBe('SIGKILL');
    const checkpoint = JSON.parse(read('.checkpoint.json'));
    expect(checkpoint.lines_done).toBe(4);
    const left = Buffer.byteLength(read('output.jsonl'));
    expect(left).toBeGreaterThan(checkpoint.output_bytes);

    const resumed = await runCli({ cwd: scratch.dir, args: SAMPLE_RUN });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('Resuming from checkpoint at line 4 of 21 (19.0%)');
    expect(resumed.stderr).toContain(`Cut ${left - checkpoint.output_bytes} bytes from the end of data/output.jsonl`);
    expect(read('output.jsonl')).toBe(expectedSample);
    expect(exists('.checkpoint.json')).toBe(false);
  });

  it('interrupted by SIGINT finishes its batch, saves, exits 130, and resumes byte-identical (G7)', async () => {
    const interrupted = await runCli({ cwd: scratch.dir, args: longRun('--batch-size', '3'), signal: { name: 'SIGINT', when: /Checkpoint saved at line 30 / } });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('Interrupt received: finishing this batch and saving');
    const stopped = /Interrupted: checkpoint saved at line (\d+) /.exec(interrupted.stderr);
    expect(stopped).not.toBeNull();
    const checkpoint = JSON.parse(read('.long.json'));
    expect(checkpoint.lines_done).toBe(Number(stopped![1]));
    expect(checkpoint.lines_done % 3).toBe(0); // a whole batch, never part of one
    expect(Buffer.byteLength(read('long.jsonl'))).toBe(checkpoint.output_bytes); // stopped right after a checkpoint
    expect(JSON.parse(interrupted.stdout).status).toBe('interrupted');

    // Resume with another cadence: the output does not care (G5).
    const resumed = await runCli({ cwd: scratch.dir, args: longRun('--batch-size', '1000') });
    expect(resumed.code).toBe(0);
    expect(read('long.jsonl')).toBe(expectedLong);
  });

  it('stops at once on a second SIGINT, mid-batch, leaving no checkpoint it did not finish', async () => {
    // One batch of 200,000 lines: seconds of work, so both signals land inside it even on a busy machine.
    writeFileSync(join(scratch.dir, 'data/huge_input.txt'), Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const args = ['--input', 'data/huge_input.txt', '--output', 'data/huge.jsonl', '--checkpoint', 'data/.huge.json', '--batch-size', '1000000'];
    const run = startCli({ cwd: scratch.dir, args });
    let sent = 0;
    run.child.stderr!.on('data', (d: Buffer) => {
      // the first Ctrl+C once the run has started, the second once the first has been noted
      if (sent === 0 && /Starting fresh/.test(String(d))) (sent = 1), run.child.kill('SIGINT');
      else if (sent === 1 && /Interrupt received/.test(String(d))) (sent = 2), run.child.kill('SIGINT');
    });
    const stopped = await run.done;
    expect(sent).toBe(2);
    expect(stopped.signal).toBe('SIGINT');
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).not.toMatch(/Interrupted: checkpoint saved/);
    expect(stopped.stdout).toBe('');
    expect(exists('.huge.json') || exists('.huge.json.tmp')).toBe(false);
    expect(read('huge.jsonl').split('\n').length - 1).toBeLessThan(200_000); // it really stopped mid-batch
  });
});
