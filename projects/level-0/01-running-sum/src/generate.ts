// `generate`: the input of the exercise, N integers one per line (seed 003's
// generate_numbers.py). Seeded, so the same --seed writes the same bytes on every machine.
//
// The numbers are between -999,999 and 999,999: lines of 1 to 7 characters, so byte offsets
// and number counts never line up (a checkpoint cadence in bytes would drift), and the sum of
// a million of them stays far below 2^53 (the tool sums with BigInt anyway).
import { writeFileAtomically } from './atomic-write.ts';
import type { Deps } from './deps.ts';
import { ioError } from './errors.ts';
import { checkCreatable } from './preflight.ts';
import { mulberry32 } from './prng.ts';

export const DEFAULT_COUNT = 1_000_000;
export const MAX_ABS = 999_999;
const LINES_PER_WRITE = 10_000;

export interface GenerateOptions {
  output: string;
  count: number;
  /** undefined: take one from the clock and say which, so the file can be made again */
  seed?: number;
}

export interface GenerateSummary {
  output: string;
  count: number;
  seed: number;
  bytes: number;
}

/** The numbers for a seed, as text chunks of up to LINES_PER_WRITE lines. */
export function* numberLines(count: number, seed: number): Generator<string> {
  const next = mulberry32(seed);
  for (let done = 0; done < count; ) {
    const lines: string[] = [];
    for (const end = Math.min(count, done + LINES_PER_WRITE); done < end; done++) {
      lines.push(`${Math.floor(next() * (2 * MAX_ABS + 1)) - MAX_ABS}\n`);
    }
    yield lines.join('');
  }
}

export function generate(deps: Deps, opts: GenerateOptions): GenerateSummary {
  checkCreatable(deps, opts.output, '--output');
  const seed = opts.seed ?? deps.now().getTime() % 2 ** 32;
  if (opts.seed === undefined) deps.log(`No --seed given: using seed ${seed} (pass --seed ${seed} to write this file again)`);
  let bytes: number;
  try {
    // Temp file and rename: a crash mid-generate never leaves a half file named like the input.
    bytes = writeFileAtomically(deps.fs, opts.output, numberLines(opts.count, seed));
  } catch (error) {
    throw ioError(`Could not write ${opts.output}`, error, 'any earlier file of that name is unchanged', 'rerun');
  }
  deps.log(`Generated ${opts.count} numbers into ${opts.output} (seed ${seed}, ${bytes} bytes)`);
  return { output: opts.output, count: opts.count, seed, bytes };
}
