// How this project's tests run the tool: main() on the kit's in-memory volume, with a fixed
// clock so every run writes the same bytes and crash states can be replayed exactly.
import { readFileSync } from 'node:fs';
import type { KitEnv, ToolRun } from '../../../../test/kit/index.ts';
import type { Deps } from '../src/deps.ts';
import { main } from '../src/main.ts';

export const PROJECT_DIR = new URL('..', import.meta.url).pathname;
/** The committed sample: `generate --output data/sample_numbers.txt --count 120 --seed 7`. */
export const SAMPLE = readFileSync(new URL('../data/sample_numbers.txt', import.meta.url));
export const SAMPLE_COUNT = 120;
export const BATCH = 10;

export const PATHS = {
  input: '/work/data/sample_numbers.txt',
  output: '/work/data/sum.json',
  checkpoint: '/work/data/checkpoint.json',
};

export const sampleFiles = (input: Buffer | string = SAMPLE) => ({ [PATHS.input]: input });

/** The sample's flags (batch size 10 unless given), plus any extra ones. */
export function args(...extra: string[]): string[] {
  const batch = extra.includes('--batch-size') ? [] : ['--batch-size', String(BATCH)];
  return ['--input', PATHS.input, '--output', PATHS.output, '--checkpoint', PATHS.checkpoint, ...batch, ...extra];
}

export const CLOCK = new Date('2026-11-25T12:00:00.000Z');

export function depsFor(env: KitEnv, fs: Deps['fs'] = env.fs): Deps {
  return {
    fs,
    now: () => CLOCK,
    log: (line) => env.log.push(line),
    out: (text) => env.out.push(text),
    crash: env.crash,
  };
}

/** The tool with these flags, as the kit runs it. */
export function tool(argv: string[] = args()): ToolRun {
  return (env) => main(argv, depsFor(env));
}

/**
 * An independent oracle, written without the tool's code: for the first k lines of an
 * input, the byte offset where line k+1 starts and the exact sum of those k numbers.
 */
export function prefix(input: Buffer | string, k: number): { offset: number; sum: bigint } {
  const lines = input.toString().split('\n').slice(0, k);
  return { offset: lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0), sum: lines.reduce((s, l) => s + BigInt(l), 0n) };
}

/** Every readSync the tool makes on `path`, as [position, bytes read]. */
export function readsOf(fs: Deps['fs'], path: string): { fs: Deps['fs']; reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  const open = new Set<number>();
  const wrapped = new Proxy(fs, {
    get(target, prop) {
      if (prop === 'openSync') {
        return (p: string, ...rest: unknown[]) => {
          const fd = (target.openSync as (...a: unknown[]) => number)(p, ...rest);
          if (p === path) open.add(fd);
          return fd;
        };
      }
      if (prop === 'closeSync') {
        return (fd: number) => {
          open.delete(fd);
          target.closeSync(fd);
        };
      }
      if (prop === 'readSync') {
        return (fd: number, buffer: Buffer, offset: number, length: number, position: number) => {
          const got = target.readSync(fd, buffer, offset, length, position);
          if (open.has(fd)) reads.push([position, got]);
          return got;
        };
      }
      if (prop === 'readFileSync') {
        return (p: string, ...rest: unknown[]) => {
          if (p === path) throw new Error(`the tool read all of ${path} with readFileSync`);
          return (target.readFileSync as (...a: unknown[]) => unknown)(p, ...rest);
        };
      }
      return (target as unknown as Record<string | symbol, unknown>)[prop];
    },
  });
  return { fs: wrapped, reads };
}
