// The command line, parsed with yargs. Every flag is checked here, before anything is read
// or written (G4): a bad --batch-size or --checkpoint-every-ms never reaches the run.
import { resolve } from 'node:path';
import yargs from 'yargs';
import type { Cadence } from './cadence.ts';
import { UsageError } from './errors.ts';

export const VERSION = '1.0.0';
/**
 * The cadence when neither --batch-size nor --checkpoint-every-ms is given: a checkpoint a
 * second. A count cannot know what a line costs; `npm run bench` measured --batch-size 100
 * at about twice the cost of the work itself, a second's cadence at a few percent.
 */
export const DEFAULT_EVERY_MS = 1000;

export interface Options {
  input: string;
  output: string;
  checkpoint: string;
  cadence: Cadence;
  simulateCrash: number | undefined;
  force: boolean;
}

export type Parsed = { kind: 'run'; options: Options } | { kind: 'print'; text: string };

/** A positive whole number within the safe integer range, or a UsageError naming the flag. */
export function positiveInteger(flag: string, raw: unknown): number {
  const text = String(raw);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${flag} must be a positive whole number, got '${text}'`);
  }
  return value;
}

export function parseArgs(argv: string[]): Parsed {
  const parser = yargs()
    .scriptName('project.ts')
    .usage(
      '$0 --input <file> --output <file> --checkpoint <file> [--batch-size <n> | --checkpoint-every-ms <ms>]\n\n' +
        'Append one JSON line to the output for each line of the input, exactly once, however often the run is killed.',
    )
    .option('input', { type: 'string', demandOption: true, requiresArg: true, describe: 'text file, one message per line' })
    .option('output', { type: 'string', demandOption: true, requiresArg: true, describe: 'JSON Lines file, appended to as the run goes' })
    .option('checkpoint', { type: 'string', demandOption: true, requiresArg: true, describe: 'checkpoint file (cleared on success)' })
    .option('batch-size', { type: 'string', requiresArg: true, describe: 'save a checkpoint every n lines' })
    .option('checkpoint-every-ms', { type: 'string', requiresArg: true, describe: `save a checkpoint once this many milliseconds have passed (default ${DEFAULT_EVERY_MS} when neither is given)` })
    .conflicts('batch-size', 'checkpoint-every-ms')
    .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th line of this run' })
    .option('force', { type: 'boolean', default: false, describe: 'start over; the old checkpoint is moved aside, not deleted' })
    .example(
      '$0 --input data/sample_input.txt --output data/output.jsonl --checkpoint data/.checkpoint.json --batch-size 4',
      'process the sample, checkpointing every 4 lines',
    )
    .example(
      '$0 --input data/sample_input.txt --output data/output.jsonl --checkpoint data/.checkpoint.json --checkpoint-every-ms 250',
      'the same output, checkpointing every 250 ms instead',
    )
    .strict()
    .version(VERSION)
    .help()
    .wrap(100)
    .exitProcess(false);

  let failure: Error | undefined;
  let printed = '';
  const args = parser.parseSync(argv, {}, (err: Error | undefined, _argv: unknown, output: string) => {
    failure = err ?? undefined;
    printed = output;
  });
  if (failure) throw new UsageError(failure.message.split('\n')[0]!);
  if (printed) return { kind: 'print', text: printed };

  const options: Options = {
    input: single('input', args.input),
    output: single('output', args.output),
    checkpoint: single('checkpoint', args.checkpoint),
    cadence:
      args['checkpoint-every-ms'] !== undefined
        ? { by: 'time', everyMs: positiveInteger('checkpoint-every-ms', single('checkpoint-every-ms', args['checkpoint-every-ms'])) }
        : args['batch-size'] === undefined
          ? { by: 'time', everyMs: DEFAULT_EVERY_MS }
          : { by: 'count', batchSize: positiveInteger('batch-size', single('batch-size', args['batch-size'])) },
    simulateCrash: args['simulate-crash'] === undefined ? undefined : positiveInteger('simulate-crash', single('simulate-crash', args['simulate-crash'])),
    force: args.force,
  };
  refuseSharedPaths(options);
  return { kind: 'run', options };
}

/** A flag given twice arrives as an array: refuse it rather than guess which one was meant. */
function single(flag: string, value: unknown): string {
  if (Array.isArray(value)) throw new UsageError(`--${flag} was given ${value.length} times; give it once`);
  return String(value);
}

/** The output must never be the input (it is truncated) nor the checkpoint (it is replaced). */
function refuseSharedPaths(options: Options): void {
  const files = [
    ['--input', options.input],
    ['--output', options.output],
    ['--checkpoint', options.checkpoint],
  ] as const;
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      if (resolve(files[i]![1]) === resolve(files[j]![1])) {
        throw new UsageError(`${files[i]![0]} and ${files[j]![0]} name the same file (${files[i]![1]}); give each its own path`);
      }
    }
  }
}
