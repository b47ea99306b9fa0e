// How this project's tests run the tool: main() on the kit's in-memory volume, with a clock
// the test controls, so every run writes the same bytes and crash states can be replayed.
import { readFileSync } from 'node:fs';
import type { KitEnv, ToolRun } from '../../../../test/kit/index.ts';
import type { Deps } from '../src/deps.ts';
import { main } from '../src/main.ts';

export const PROJECT_DIR = new URL('..', import.meta.url).pathname;
export const SAMPLE = readFileSync(new URL('../data/sample_input.txt', import.meta.url));
export const SAMPLE_LINES = 21;

export const PATHS = {
  input: '/work/data/sample_input.txt',
  output: '/work/data/output.jsonl',
  checkpoint: '/work/data/.checkpoint.json',
  temp: '/work/data/.checkpoint.json.tmp',
  dir: '/work/data',
};

export const sampleFiles = (input: Buffer | string = SAMPLE) => ({ [PATHS.input]: input });

/** The sample's flags (a checkpoint every 4 lines unless a cadence is given), plus any extra ones. */
export function args(...extra: string[]): string[] {
  const cadence = extra.includes('--batch-size') || extra.includes('--checkpoint-every-ms') ? [] : ['--batch-size', '4'];
  return ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint, ...cadence, ...extra];
}

export const CLOCK = new Date('2026-11-25T12:00:00.000Z');

/** A clock that never moves: count cadence, and stable names for --force. */
export const fixedClock = () => () => CLOCK;

/** A clock that moves `stepMs` every time it is read: time cadence, replayable run after run. */
export function tickingClock(stepMs: number): () => () => Date {
  return () => {
    let t = CLOCK.getTime();
    return () => new Date((t += stepMs));
  };
}

export function depsFor(env: KitEnv, now: () => Date = CLOCK_NOW, interrupt = { requested: false }): Deps {
  return {
    fs: env.fs,
    now,
    log: (line) => env.log.push(line),
    out: (text) => env.out.push(text),
    crash: env.crash,
    interrupt,
  };
}
const CLOCK_NOW = () => CLOCK;

/** The tool with these flags, as the kit runs it; each run gets a fresh clock from `clock`. */
export function tool(argv: string[] = args(), clock: () => () => Date = fixedClock): ToolRun {
  return (env) => main(argv, depsFor(env, clock()));
}

/** The output lines of a finished volume, parsed. */
export function outputLines(text: string): Array<{ line: number; words: number; spam: boolean; text: string }> {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
