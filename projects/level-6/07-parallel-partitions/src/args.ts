// The command line, parsed with yargs. Every flag is checked here, before anything is read
// or written (G4): a bad --batch-size or --partitions never reaches the run.
import yargs from 'yargs';
import { UsageError } from './errors.ts';

export const VERSION = '1.0.0';

/** More partitions than this is a typo, not a plan: each one is a checkpoint and a staged file. */
export const MAX_PARTITIONS = 64;

export interface Options {
  input: string;
  output: string;
  checkpoint: string;
  batchSize: number;
  /** how the input is split: fixed for a run, recorded in its checkpoints */
  partitions: number;
  /** how many worker threads run the partitions: speed only, never the output */
  workers: number;
  simulateCrash: number | undefined;
  force: boolean;
}

export type Parsed = { kind: 'run'; options: Options } | { kind: 'print'; text: string };

/** A positive whole number within the safe integer range (and at most `max`), or a UsageError naming the flag. */
export function positiveInteger(flag: string, raw: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(raw);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${flag} must be a positive whole number, got '${text}'`);
  }
  if (value > max) throw new UsageError(`--${flag} must be at most ${max}, got '${text}'`);
  return value;
}

export function parseArgs(argv: string[]): Parsed {
  const parser = yargs()
    .scriptName('project.ts')
    .usage(
      '$0 --input <file> --output <file> --checkpoint <file> [--partitions <n>] [--workers <n>] [--batch-size <n>]\n\n' +
        'Split the input into partitions (item index mod partitions), process each on a worker thread with its own checkpoint, and merge the results in index order.',
    )
    .option('input', { type: 'string', demandOption: true, requiresArg: true, describe: 'text file, one item per line' })
    .option('output', { type: 'string', demandOption: true, requiresArg: true, describe: 'JSON results in index order, written once at the end' })
    .option('checkpoint', { type: 'string', demandOption: true, requiresArg: true, describe: "the run's manifest; each partition's checkpoint sits beside it (all cleared on success)" })
    .option('partitions', { type: 'string', default: '4', requiresArg: true, describe: `how many partitions (1-${MAX_PARTITIONS}); a resume must use the same number` })
    .option('workers', { type: 'string', requiresArg: true, describe: 'worker threads (default: one per partition); changes the speed, never the output' })
    .option('batch-size', { type: 'string', default: '1000', requiresArg: true, describe: 'items per checkpoint, per partition (positive integer); each costs three fsyncs' })
    .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th item of this run, counted over all workers' })
    .option('force', { type: 'boolean', default: false, describe: 'start over; the old checkpoints are moved aside, not deleted' })
    .example(
      '$0 --input data/sample_input.txt --output data/processed_output.json --checkpoint data/.checkpoint.json --partitions 3 --workers 3 --batch-size 3',
      'process the sample in 3 partitions on 3 worker threads, checkpointing every 3 items of each',
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
  if (failure) throw new UsageError(firstLine(failure.message));
  if (printed) return { kind: 'print', text: printed };
  if (args._.length > 0) throw new UsageError(`unexpected argument '${args._[0]}'; every value needs its flag`);

  const partitions = positiveInteger('partitions', args.partitions, MAX_PARTITIONS);
  // More workers than partitions would sit idle: one partition is never split between two.
  const workers = args.workers === undefined ? partitions : Math.min(positiveInteger('workers', args.workers, MAX_PARTITIONS), partitions);
  return {
    kind: 'run',
    options: {
      input: args.input,
      output: args.output,
      checkpoint: args.checkpoint,
      batchSize: positiveInteger('batch-size', args['batch-size']),
      partitions,
      workers,
      simulateCrash: args['simulate-crash'] === undefined ? undefined : positiveInteger('simulate-crash', args['simulate-crash']),
      force: args.force,
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
