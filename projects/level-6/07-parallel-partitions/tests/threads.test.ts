// The real worker threads (src/thread-runner.ts), inside vitest, on the real disk: the same
// output and the same log as the partitions run in one thread, whatever the worker count.
// (This also proves the .ts worker bootstrap works under vitest, not only under tsx.)
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/deps.ts';
import { isProcessAlive } from '../src/lock.ts';
import { main } from '../src/main.ts';
import { threadRunner } from '../src/thread-runner.ts';
import { runOnVolume, seedVolume } from '../../../../test/kit/index.ts';
import { expectedOutput, LONG, LONG_ITEMS } from './long-input.ts';
import { args, PATHS, tool } from './tool.ts';

const dir = mkdtempSync(join(tmpdir(), 'crash-course-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'input.txt'), LONG);
const expected = await expectedOutput(3);

async function runOnThreads(...extra: string[]) {
  const log: string[] = [];
  const out: string[] = [];
  const deps: Deps = {
    fs,
    pid: process.pid,
    isAlive: isProcessAlive,
    now: () => new Date(),
    log: (line) => log.push(line),
    out: (text) => out.push(text),
    crash: () => {
      throw new Error('--simulate-crash is not used here');
    },
    interrupt: { requested: false },
    runPartitions: threadRunner,
  };
  const argv = ['--input', join(dir, 'input.txt'), '--output', join(dir, 'out.json'), '--checkpoint', join(dir, '.checkpoint.json'), '--partitions', '3', '--batch-size', '20', ...extra];
  const code = await main(argv, deps);
  return { code, log, out: out.join(''), output: () => readFileSync(join(dir, 'out.json'), 'utf8') };
}

describe('partitions on real worker threads', () => {
  it('give the same output and the same log as the partitions run one after another in one thread', async () => {
    const three = await runOnThreads('--workers', '3');
    expect(three.code, three.log.join('\n')).toBe(0);
    expect(three.output()).toBe(expected);
    expect(JSON.parse(three.out)).toMatchObject({ status: 'completed', items: LONG_ITEMS, ok: LONG_ITEMS - 1, failed: 1, workers: 3 });
    // The same run in memory on one worker: every line but the first (which names the worker
    // count) is the same, though three threads reported in whatever order they got to.
    const oneThread = await runOnVolume(tool(args('--partitions', '3', '--workers', '1', '--batch-size', '20')), seedVolume({ [PATHS.input]: LONG }));
    const paths = (line: string) => line.replaceAll(dir, '/work/data').replace('/work/data/input.txt', PATHS.input).replace('/work/data/out.json', PATHS.output);
    expect(three.log.slice(1).map(paths)).toEqual(oneThread.env.log.slice(1));
    expect(three.log).toContain('Partition 0: item 777 failed: not valid UTF-8 (recorded; the batch goes on)');
  }, 120_000);

  it('stop the other partitions at a saved checkpoint when one fails, and report the failure from its thread', async () => {
    // Partition 2's staged file cannot be opened: a folder sits where it should be.
    fs.mkdirSync(join(dir, '.checkpoint.part-2.staged.jsonl'));
    const r = await runOnThreads('--workers', '2');
    fs.rmdirSync(join(dir, '.checkpoint.part-2.staged.jsonl'));
    expect(r.code).toBe(1);
    expect(r.log.at(-1)).toMatch(/^Unexpected error: Error: EISDIR: illegal operation on a directory/);
    expect(fs.existsSync(join(dir, '.checkpoint.json.lock'))).toBe(false);
    const resumed = await runOnThreads('--workers', '1');
    expect(resumed.code).toBe(0);
    expect(resumed.output()).toBe(expected);
  }, 120_000);
});
