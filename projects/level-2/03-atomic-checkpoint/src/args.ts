// The command line, parsed with yargs. Every flag is checked here, before anything is read
// or written (G4): a bad --batch-size never reaches the run.
import yargs from 'yargs';
import { UsageError } from './errors.ts';

export const VERSION = '1.0.0';

export interface Options {
  sources: string;
  staging: string;
  batchSize: number;
  simulateCrash: number | undefined;
  pauseMs: number;
  force: boolean;
}

export type Parsed = { kind: 'run'; options: Options } | { kind: 'print'; text: string };

/** A whole number within the safe integer range, at least `min`, or a UsageError naming the flag. */
export function wholeNumber(flag: string, raw: unknown, min = 1): number {
  const text = String(raw);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    const what = min === 1 ? 'a positive whole number' : `a whole number >= ${min}`;
    throw new UsageError(`--${flag} must be ${what}, got '${text}'`);
  }
  return value;
}

export function parseArgs(argv: string[]): Parsed {
  const parser = yargs()
    .scriptName('project.ts')
    .usage(
      '$0 --sources <folder> --staging <folder> [--batch-size <n>]\n\n' +
        'Stage every <source>.jsonl of the sources folder into <staging>/source=<source>/records.jsonl,\n' +
        'saving <staging>/source=<source>/.checkpoint.json after every batch.',
    )
    .option('sources', { type: 'string', demandOption: true, requiresArg: true, describe: 'folder with one <source>.jsonl file per source' })
    .option('staging', { type: 'string', demandOption: true, requiresArg: true, describe: 'staging folder: staged records and checkpoints, per source' })
    .option('batch-size', { type: 'string', default: '1000', requiresArg: true, describe: 'records per checkpoint (positive integer)' })
    .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th record of this run' })
    .option('pause-ms', { type: 'string', default: '0', requiresArg: true, describe: 'wait this long after each checkpoint (time to press Ctrl+C)' })
    .option('force', { type: 'boolean', default: false, describe: 'start over; old checkpoints are moved aside, not deleted' })
    .example('$0 --sources data/sample_sources --staging data/staging --batch-size 4', 'a checkpoint every 4 records')
    .strict()
    .version(VERSION)
    .help()
    .wrap(null)
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

  return {
    kind: 'run',
    options: {
      sources: args.sources,
      staging: args.staging,
      batchSize: wholeNumber('batch-size', args['batch-size']),
      simulateCrash: args['simulate-crash'] === undefined ? undefined : wholeNumber('simulate-crash', args['simulate-crash']),
      pauseMs: wholeNumber('pause-ms', args['pause-ms'], 0),
      force: args.force,
    },
  };
}
