// The command line, parsed with yargs. Every flag is checked here, before anything is read
// or written (G4): a bad --batch-size never reaches the run.
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
    .usage('$0 --input <file> --output <file> --checkpoint <file> [--batch-size <n>]\n\nProcess each line of the input in batches, checkpointing after every batch.')
    .option('input', { type: 'string', demandOption: true, requiresArg: true, describe: 'text file, one item per line' })
    .option('output', { type: 'string', demandOption: true, requiresArg: true, describe: 'JSON results, written once at the end' })
    .option('checkpoint', { type: 'string', demandOption: true, requiresArg: true, describe: 'checkpoint file (cleared on success)' })
    .option('batch-size', { type: 'string', default: '1000', requiresArg: true, describe: 'items per checkpoint (positive integer); each costs three fsyncs' })
    .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th item of this run' })
    .option('force', { type: 'boolean', default: false, describe: 'start over; the old checkpoint is moved aside, not deleted' })
    .example(
      '$0 --input data/sample_input.txt --output data/processed_output.json --checkpoint data/.checkpoint.json --batch-size 3',
      'process the sample, checkpointing every 3 items',
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

  return {
    kind: 'run',
    options: {
      input: args.input,
      output: args.output,
      checkpoint: args.checkpoint,
      batchSize: positiveInteger('batch-size', args['batch-size']),
      simulateCrash: args['simulate-crash'] === undefined ? undefined : positiveInteger('simulate-crash', args['simulate-crash']),
      force: args.force,
    },
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
