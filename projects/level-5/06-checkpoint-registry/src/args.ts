// The command line, parsed with yargs: three commands named as the seed names them. Every flag
// and argument is checked here, before anything is read or written (G4).
import yargs from 'yargs';
import type { Status } from './checkpoints.ts';
import { UsageError } from './errors.ts';

export const VERSION = '1.0.0';

export const DEFAULTS = {
  db: 'data/registry.db',
  input: 'data/sample_messages.log',
  export: 'data/patterns.json',
  minSpamCount: 2,
  batchSize: 100,
  checkpointEvery: 5,
};

export interface MineOptions {
  db: string;
  days: number;
  minSpamCount: number;
  input: string;
  export: string;
  batchSize: number;
  checkpointEvery: number;
  simulateCrash: number | undefined;
  force: boolean;
}

export interface ResumeOptions {
  db: string;
  id: number;
  simulateCrash: number | undefined;
}

export interface ListOptions {
  db: string;
  limit: number;
  status: Status | undefined;
  json: boolean;
}

export type Parsed =
  | { kind: 'mine-patterns'; options: MineOptions }
  | { kind: 'resume-mining'; options: ResumeOptions }
  | { kind: 'list-checkpoints'; options: ListOptions }
  | { kind: 'print'; text: string };

/** A positive whole number within the safe integer range, or a UsageError naming it. */
export function positiveInteger(name: string, raw: unknown): number {
  const text = String(raw);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${name} must be a positive whole number, got '${text}'`);
  }
  return value;
}

const STATUSES = ['running', 'completed', 'failed'];

export function parseArgs(argv: string[]): Parsed {
  const parser = yargs()
    .scriptName('project.ts')
    .usage('$0 <command>\n\nMine spam patterns from a message log in two stages, with every run checkpointed in SQLite.')
    .command('mine-patterns <days>', 'mine the last <days> days of the log (resumes the unfinished run with the same parameters)', (y) =>
      y
        .positional('days', { type: 'string', describe: 'days of the log to mine, ending on its newest message' })
        .option('min-spam-count', { type: 'string', default: String(DEFAULTS.minSpamCount), requiresArg: true, describe: 'spam messages a pattern needs' })
        .option('input', { type: 'string', default: DEFAULTS.input, requiresArg: true, describe: 'message log: id TAB date TAB spam|ham TAB text' })
        .option('export', { type: 'string', default: DEFAULTS.export, requiresArg: true, describe: "the run's patterns as JSON, written when it completes" })
        .option('batch-size', { type: 'string', default: String(DEFAULTS.batchSize), requiresArg: true, describe: 'items per chunk' })
        .option('checkpoint-every', { type: 'string', default: String(DEFAULTS.checkpointEvery), requiresArg: true, describe: 'chunks per checkpoint update' })
        .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th item of this run' })
        .option('force', { type: 'boolean', default: false, describe: 'start over: an unfinished run is marked failed and kept; an unusable database is moved aside' })
        .example('$0 mine-patterns 7 --batch-size 2', 'mine the last 7 days, 2 messages per chunk'),
    )
    .command('list-checkpoints [limit] [status]', 'list the newest checkpoints (default 10), optionally only running, completed or failed ones', (y) =>
      y
        .positional('limit', { type: 'string', default: '10', describe: 'how many rows' })
        .positional('status', { type: 'string', describe: 'running, completed or failed' })
        .option('json', { type: 'boolean', default: false, describe: 'print JSON instead of a table' })
        .example('$0 list-checkpoints 5 failed', 'the 5 newest failed checkpoints'),
    )
    .command('resume-mining <id>', 'resume an unfinished (failed, or running with a dead owner) checkpoint', (y) =>
      y
        .positional('id', { type: 'string', describe: 'checkpoint id, from list-checkpoints' })
        .option('simulate-crash', { type: 'string', requiresArg: true, describe: 'kill this process (SIGKILL) after the n-th item of this run' })
        .example('$0 resume-mining 1', 'go on with checkpoint 1 where it stopped'),
    )
    .option('db', { type: 'string', default: DEFAULTS.db, requiresArg: true, describe: 'the checkpoint registry (SQLite)' })
    .demandCommand(1, 'Name a command: mine-patterns, list-checkpoints or resume-mining')
    .parserConfiguration({ 'duplicate-arguments-array': false }) // a flag given twice: the last one counts
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
  }) as Record<string, unknown>;
  if (failure) throw new UsageError(firstLine(failure.message));
  if (printed) return { kind: 'print', text: printed };

  const db = String(args.db);
  const simulateCrash = args['simulate-crash'] === undefined ? undefined : positiveInteger('--simulate-crash', args['simulate-crash']);
  const command = (args._ as unknown[])[0];
  if (command === 'mine-patterns') {
    return {
      kind: 'mine-patterns',
      options: {
        db,
        days: positiveInteger('<days>', args.days),
        minSpamCount: positiveInteger('--min-spam-count', args['min-spam-count']),
        input: String(args.input),
        export: String(args.export),
        batchSize: positiveInteger('--batch-size', args['batch-size']),
        checkpointEvery: positiveInteger('--checkpoint-every', args['checkpoint-every']),
        simulateCrash,
        force: Boolean(args.force),
      },
    };
  }
  if (command === 'resume-mining') return { kind: 'resume-mining', options: { db, id: positiveInteger('<id>', args.id), simulateCrash } };
  const status = args.status === undefined ? undefined : String(args.status);
  if (status !== undefined && !STATUSES.includes(status)) throw new UsageError(`[status] must be running, completed or failed, got '${status}'`);
  return { kind: 'list-checkpoints', options: { db, limit: positiveInteger('[limit]', args.limit), status: status as Status | undefined, json: Boolean(args.json) } };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
