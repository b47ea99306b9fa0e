// How this project's tests run the tool: main() on the kit's in-memory volume, with a fixed
// clock so every run writes the same bytes and crash states can be replayed exactly.
import { readFileSync } from 'node:fs';
import type { KitEnv, ToolRun } from '../../../../test/kit/index.ts';
import type { Deps } from '../src/deps.ts';
import { main } from '../src/main.ts';

export const PROJECT_DIR = new URL('..', import.meta.url).pathname;
export const SAMPLE = readFileSync(new URL('../data/sample_input.txt', import.meta.url));
export const SAMPLE_ITEMS = 21;

export const PATHS = {
  input: '/work/data/sample_input.txt',
  output: '/work/data/processed_output.json',
  checkpoint: '/work/data/.checkpoint.json',
  staged: '/work/data/.checkpoint.json.staged.jsonl',
  lock: '/work/data/.checkpoint.json.lock',
};

export const sampleFiles = (input: Buffer | string = SAMPLE) => ({ [PATHS.input]: input });

/** The sample's flags (batch size 3 unless given), plus any extra ones. */
export function args(...extra: string[]): string[] {
  const batch = extra.includes('--batch-size') ? [] : ['--batch-size', '3'];
  return ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint, ...batch, ...extra];
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
  };
}

/** The tool with these flags, as the kit runs it. */
export function tool(argv: string[] = args()): ToolRun {
  return (env) => main(argv, depsFor(env));
}
