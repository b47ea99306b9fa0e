// The command line, parsed with yargs and checked to the last character before anything is
// read or written (G4). Numbers are taken as strings and checked here, because yargs'
// own number type turns `abc` into NaN, `1.5` into 1.5 and 9007199254740993 into a
// neighbouring double without a word.
import yargs from 'yargs';
import { UsageError } from './errors.ts';
import { DEFAULT_COUNT } from './generate.ts';
import type { GenerateOptions } from './generate.ts';
import type { SumOptions } from './running-sum.ts';

export const VERSION = '1.0.0';
export const DEFAULT_BATCH_SIZE = 10000;

export type Command =
  | { kind: 'print'; text: string }
  | { kind: 'sum'; options: SumOptions }
  | { kind: 'generate'; options: GenerateOptions };

export async function parseArgs(argv: string[]): Promise<Command> {
  let chosen = 'sum' as 'sum' | 'generate';
  let printed = '';
  const parser = yargs()
    .scriptName('project.ts')
    .usage('$0 [generate] [options]\n\nSum a file of integers, one per line, saving {offset, runningSum} as it goes so a crash loses nothing.')
    .command(
      '$0',
      'sum the numbers of --input, resuming from --checkpoint if one is there',
      (y) =>
        y
          .option('input', { type: 'string', requiresArg: true, demandOption: true, describe: 'file of integers, one per line' })
          .option('output', { type: 'string', requiresArg: true, demandOption: true, describe: 'where the final sum is written (JSON)' })
          .option('checkpoint', { type: 'string', requiresArg: true, demandOption: true, describe: 'the checkpoint file {offset, runningSum, ...}' })
          .option('batch-size', { type: 'string', requiresArg: true, default: String(DEFAULT_BATCH_SIZE), describe: 'numbers summed between two checkpoints' })
          .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th number summed in this run' })
          .option('force', { type: 'boolean', default: false, describe: 'start over: move an existing checkpoint aside first' }),
      () => {
        chosen = 'sum';
      },
    )
    .command(
      'generate',
      'write --count seeded random integers to --output, one per line',
      (y) =>
        y
          .option('output', { type: 'string', requiresArg: true, demandOption: true, describe: 'the numbers file to write' })
          .option('count', { type: 'string', requiresArg: true, default: String(DEFAULT_COUNT), describe: 'how many numbers' })
          .option('seed', { type: 'string', requiresArg: true, describe: 'the same seed writes the same file (0 to 4294967295)' }),
      () => {
        chosen = 'generate';
      },
    )
    .example('$0 generate --output data/numbers.txt --count 1000 --seed 7', 'write 1000 numbers, the same ones every time')
    .example('$0 --input data/numbers.txt --output data/sum.json --checkpoint data/checkpoint.json --batch-size 250', 'sum them, checkpointing every 250 numbers')
    .strict()
    .version(VERSION)
    .help()
    .wrap(null)
    .exitProcess(false);

  let failure: Error | undefined;
  const args = await parser.parseAsync(argv, {}, (error: Error | undefined, _argv: unknown, output: string) => {
    failure = error ?? undefined;
    printed = output;
  });
  if (failure) throw new UsageError(firstLine((failure as Error).message));
  if (printed) return { kind: 'print', text: printed.endsWith('\n') ? printed : `${printed}\n` };

  if (chosen === 'generate') {
    const seed = args.seed === undefined ? undefined : integerFlag('--seed', args.seed, 0, 2 ** 32 - 1);
    return {
      kind: 'generate',
      options: { output: stringFlag('--output', args.output), count: integerFlag('--count', args.count, 0), seed },
    };
  }
  return {
    kind: 'sum',
    options: {
      input: stringFlag('--input', args.input),
      output: stringFlag('--output', args.output),
      checkpoint: stringFlag('--checkpoint', args.checkpoint),
      batchSize: integerFlag('--batch-size', args['batch-size'], 1),
      simulateCrash: args['simulate-crash'] === undefined ? undefined : integerFlag('--simulate-crash', args['simulate-crash'], 1),
      force: args.force === true,
    },
  };
}

/** A whole number written in plain digits, from `min` to `max` (default: the safe integer range). */
export function integerFlag(flag: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = single(flag, value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min === 1 ? 'a positive' : 'a non-negative'} whole number` : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range}, got '${text}'`);
  }
  return n;
}

function stringFlag(flag: string, value: unknown): string {
  const text = single(flag, value);
  if (text === '') throw new UsageError(`${flag} must not be empty`);
  return text;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}

function single(flag: string, value: unknown): string {
  if (Array.isArray(value)) throw new UsageError(`${flag} was given ${value.length} times; give it once`);
  return String(value);
}
