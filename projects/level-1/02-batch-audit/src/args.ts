// The command line, parsed with yargs. Every flag is checked here, before anything is read
// or written (G4): a bad --batch-size never reaches the run.
import { resolve } from 'node:path';
import yargs from 'yargs';
import { UsageError } from './errors.ts';

export const VERSION = '1.0.0';

export interface Options {
  input: string;
  output: string;
  checkpoint: string;
  batchSize: number;
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
    .usage('$0 --input <posts.csv> [--output <results.csv>] [--checkpoint <file>] [--batch-size <n>]\n\nAudit posts in batches: flag the ones to delete, append them to a results CSV, checkpoint after every batch.')
    .option('input', { type: 'string', demandOption: true, requiresArg: true, describe: 'posts CSV with the header id,created_at,text' })
    .option('output', { type: 'string', default: 'data/results.csv', requiresArg: true, describe: 'results CSV; flagged posts are appended to it' })
    .option('checkpoint', { type: 'string', default: 'data/checkpoint.txt', requiresArg: true, describe: 'one integer: the index of the next post (cleared on success)' })
    .option('batch-size', { type: 'string', default: '10', requiresArg: true, describe: 'posts per checkpoint (positive integer)' })
    .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th post of this run' })
    .option('force', { type: 'boolean', default: false, describe: 'start over; the old checkpoint and results are moved aside, not deleted' })
    .example('$0 --input data/sample_posts.csv --output data/results.csv --checkpoint data/checkpoint.txt', 'audit the sample, 10 posts per checkpoint')
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
  if (args._.length > 0) throw new UsageError(`unexpected argument '${args._[0]}'; every value needs its flag`);

  for (const flag of ['input', 'output', 'checkpoint'] as const) {
    // A repeated flag arrives as an array: refuse it rather than pick one.
    if (typeof args[flag] !== 'string' || args[flag] === '') throw new UsageError(`--${flag} needs exactly one file path`);
  }
  const options: Options = {
    input: args.input,
    output: args.output,
    checkpoint: args.checkpoint,
    batchSize: positiveInteger('batch-size', args['batch-size']),
    simulateCrash: args['simulate-crash'] === undefined ? undefined : positiveInteger('simulate-crash', args['simulate-crash']),
    force: args.force,
  };
  // Appending results to the input, or checkpointing over either, would destroy data.
  const paths = [options.input, options.output, options.checkpoint].map((p) => resolve(p));
  if (new Set(paths).size < paths.length) throw new UsageError('--input, --output and --checkpoint must be three different files');
  return { kind: 'run', options };
}
