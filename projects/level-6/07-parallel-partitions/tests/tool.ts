// How this project's tests run the tool: main() on the kit's in-memory volume, with a fixed
// clock and the partitions run in this thread (src/in-process-runner.ts), so every run makes
// the same operations in the same order and crash states can be replayed exactly. Real
// worker threads are tested on the real disk (threads.test.ts, real-process.test.ts).
import { readFileSync } from 'node:fs';
import type { KitEnv, ToolRun } from '../../../../test/kit/index.ts';
import type { Deps } from '../src/deps.ts';
import { inProcessRunner } from '../src/in-process-runner.ts';
import { main } from '../src/main.ts';

export const PROJECT_DIR = new URL('..', import.meta.url).pathname;
export const SAMPLE = readFileSync(new URL('../data/sample_input.txt', import.meta.url));
export const SAMPLE_ITEMS = 21;
/** The sample's one line that is not UTF-8 (index 13, so partition 1 of 3). */
export const BAD_INDEX = 13;

export const PATHS = {
  dir: '/work/data',
  input: '/work/data/sample_input.txt',
  output: '/work/data/processed_output.json',
  manifest: '/work/data/.checkpoint.json',
  lock: '/work/data/.checkpoint.json.lock',
  checkpoint: (p: number) => `/work/data/.checkpoint.part-${p}.json`,
  staged: (p: number) => `/work/data/.checkpoint.part-${p}.staged.jsonl`,
};

export const sampleFiles = (input: Buffer | string = SAMPLE) => ({ [PATHS.input]: input });

/** The sample's flags (3 partitions, 3 workers, batch size 3 unless given), plus any extra ones. */
export function args(...extra: string[]): string[] {
  const defaults: string[] = [];
  for (const [flag, value] of [['--partitions', '3'], ['--workers', '3'], ['--batch-size', '3']] as const) {
    if (!extra.includes(flag)) defaults.push(flag, value);
  }
  return ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.manifest, ...defaults, ...extra];
}

export const CLOCK = new Date('2026-11-25T12:00:00.000Z');

export function depsFor(env: KitEnv, interrupt = { requested: false }): Deps {
  return {
    fs: env.fs,
    pid: env.pid,
    isAlive: env.isAlive,
    now: () => CLOCK,
    log: (line) => env.log.push(line),
    out: (text) => env.out.push(text),
    crash: env.crash,
    interrupt,
    runPartitions: inProcessRunner(env.fs, () => CLOCK),
  };
}

/** The tool with these flags, as the kit runs it. */
export function tool(argv: string[] = args()): ToolRun {
  return (env) => main(argv, depsFor(env));
}

/** Partition p's checkpoint in a snapshot, parsed (undefined when it has none). */
export function checkpointIn(files: Map<string, Buffer>, p: number): { partition: number; next_item: number; staged_bytes: number } | undefined {
  const bytes = files.get(PATHS.checkpoint(p));
  return bytes ? JSON.parse(bytes.toString()) : undefined;
}
