// The battery's table: what each course project does with bad input, keyed by project id.
//
// Every project found from projects/*/*/project.json gets the generic cases (test/battery/
// generic.ts) with no entry here: the data breaks of its project.json, the bad --batch-size
// values, a missing input, an input that is a folder, the output and checkpoint folder cases,
// a full disk. An entry adds what needs knowledge of the level: how its tool is run in this
// process, its input format (the content cases: empty, only bad items, a 10 MB line, bytes that
// are not UTF-8, CRLF, a byte-order mark), its lock, and where a generic expectation differs.
//
// An expectation here is what the level's baseline does AND what the course contract allows
// (COURSE.md section 3: exit codes; section 4: G3, G4, G9). Where a level refuses something,
// the message it gives is matched; where it accepts it, the run must finish whole and a crash
// half-way must resume to the same bytes.
import type { Expectation } from './check.ts';
import { withFiles, type ExtraDeps, type ToolOptions } from './runner.ts';
import type { BatteryCase } from './check.ts';

export const TEN_MB = 10 * 1024 * 1024;

/** The content cases, by the name the issue gives them. */
export const CONTENT_CASES = ['empty input', 'input of only bad items', 'a 10 MB single line', 'bytes that are not UTF-8', 'CRLF line endings', 'a byte-order mark'] as const;
export type ContentName = (typeof CONTENT_CASES)[number];

export interface ContentCase {
  /** the input file's new bytes, from the sample's */
  input: (sample: Buffer) => Buffer | string;
  expect: Expectation;
}

/** The generic cases an entry may adjust, by id. */
export type GenericId =
  | 'missing input'
  | 'input is a directory'
  | 'output folder missing'
  | 'output folder not writable'
  | 'output path is a directory'
  | 'checkpoint folder read-only'
  | 'disk full';

/** Change a generic case: new expectations, a different set-up, or a reason it does not apply. */
export type Adjust = ((base: BatteryCase) => BatteryCase) | { notApplicable: string };

export interface Entry {
  tool?: ToolOptions;
  /** the arguments of a run, paths relative to the project folder (default: project.json `run`) */
  args?: string[];
  /** the flag naming the input, and for a folder of inputs, the file in it the content cases vary */
  input?: { flag: string; file?: string };
  /** the flags naming the output and the checkpoint (default --output, --checkpoint) */
  output?: string;
  checkpoint?: string;
  /** the checkpoint stays after a finished run (level 5: the database, its row completed) */
  checkpointKept?: boolean;
  content?: Record<ContentName, ContentCase>;
  /** a level with a lock: a run killed after this many items leaves it behind */
  lock?: { crashAfter: number; live: Expectation; dead: Expectation };
  adjust?: Partial<Record<GenericId, Adjust>>;
  /** cases only this level has */
  extra?: (base: { args: string[] }) => BatteryCase[];
  /**
   * What a run may write besides its output and checkpoint and the files named after them
   * (`<output>.tmp`, `<checkpoint stem>.*`: temp, lock, backup, staged, partition files), as
   * patterns of paths relative to the project folder, given the run's arguments.
   */
  writes?: (args: string[]) => RegExp[];
  /** the flags whose paths the write-set test moves into folders of their own (default: input, output, checkpoint) */
  spread?: string[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const notUtf8 = (text: string, bad: number[]) => Buffer.concat([Buffer.from(text), Buffer.from(bad)]);
const crlf = (sample: Buffer) => Buffer.from(sample.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
const bom = (sample: Buffer) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), sample]);
const with10MbLine = (head: string, tail = '\n') => head + 'a'.repeat(TEN_MB) + tail;

const level6Runner: ExtraDeps = async (project, fs, now) => {
  const { inProcessRunner } = (await import(`${project.dir}/src/in-process-runner.ts`)) as { inProcessRunner: (fs: unknown, now: () => Date) => unknown };
  return { runPartitions: inProcessRunner(fs, now) };
};

/** Text lines, one item each (levels 3, 4 and 6): nothing is refused, a bad line is an item like any other. */
function textLines(badItem: RegExp, bomStripped: boolean, crlfStripped: boolean): Record<ContentName, ContentCase> {
  const done = (message: RegExp | string, more: Partial<Expectation> = {}): Expectation => ({ code: 0, message, writes: 'complete', crashResume: true, ...more });
  return {
    'empty input': { input: () => '', expect: done(/./) },
    'input of only bad items': { input: () => Buffer.from([0xff, 0x0a, 0xfe, 0xfe, 0x0a, 0xc3, 0x0a]), expect: done(badItem) },
    'a 10 MB single line': { input: () => with10MbLine(''), expect: { code: 0, message: /./, writes: 'complete', plain: true } },
    'bytes that are not UTF-8': { input: (s) => Buffer.concat([s, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])]), expect: done(badItem) },
    'CRLF line endings': { input: crlf, expect: done(/./, { sameAsSample: crlfStripped }) },
    'a byte-order mark': { input: bom, expect: done(/./, { sameAsSample: bomStripped }) },
  };
}

export const ENTRIES: Record<string, Entry> = {
  'level-0/01-running-sum': {
    content: {
      'empty input': { input: () => '', expect: { code: 0, message: 'Done: 0 numbers, sum 0', writes: 'complete' } },
      'input of only bad items': { input: () => 'one\ntwo\nthree\n', expect: { code: 65, message: 'has a line that is not an integer at byte 0: "one"', writes: 'none' } },
      // 10 MB of digits is not an integer this tool will sum: refused, with the byte it starts at
      'a 10 MB single line': { input: () => '7'.repeat(TEN_MB) + '\n', expect: { code: 65, message: 'is not an integer at byte 0', writes: 'none' } },
      // found while streaming: the batches before it stay checkpointed (tests/number-stream.test.ts)
      'bytes that are not UTF-8': { input: (s) => Buffer.concat([s, Buffer.from([0x31, 0xff, 0x0a])]), expect: { code: 65, message: /is not an integer at byte 876: /, writes: 'progress' } },
      'CRLF line endings': { input: crlf, expect: { code: 65, message: 'is not an integer at byte 0: "-976590\\r"', writes: 'none' } },
      'a byte-order mark': { input: bom, expect: { code: 65, message: /is not an integer at byte 0: "\uFEFF-976590"/, writes: 'none' } },
    },
  },

  'level-1/02-batch-audit': {
    content: {
      'empty input': { input: () => '', expect: { code: 65, message: "line 1: expected the header 'id,created_at,text', got ''", writes: 'none' } },
      'input of only bad items': { input: () => 'id,created_at,text\nx,2020-01-01,hi\ny,2020-01-02,ho\n', expect: { code: 65, message: "line 2: id must be digits, got 'x'", writes: 'none' } },
      'a 10 MB single line': { input: () => with10MbLine('id,created_at,text\n1,2020-01-01,'), expect: { code: 0, message: 'Flagged 0 of 1 posts', writes: 'complete', plain: true } },
      'bytes that are not UTF-8': { input: (s) => Buffer.concat([s, notUtf8('9999,2020-01-01,caf', [0xe9, 0x0a])]), expect: { code: 0, message: 'of 46 posts', writes: 'complete', crashResume: true } },
      // not the sample's bytes: a line break inside a quoted text becomes \r\n too, and stays in the text
      'CRLF line endings': { input: crlf, expect: { code: 0, message: 'Flagged 13 of 45 posts', writes: 'complete', crashResume: true } },
      'a byte-order mark': { input: bom, expect: { code: 0, message: 'Flagged 13 of 45 posts', writes: 'complete', sameAsSample: true, crashResume: true } },
    },
  },

  'level-2/03-atomic-checkpoint': {
    input: { flag: '--sources', file: 'data/sample_sources/bbc.jsonl' },
    output: '--staging',
    checkpoint: '--staging',
    // --staging is a folder: per source, a folder with its staged records and its checkpoint
    writes: (args) => {
      const staging = escape(args[args.indexOf('--staging') + 1]!);
      return [new RegExp(`^${staging}(/source=[\\w.-]+(/(records\\.jsonl|\\.checkpoint\\.json(\\.tmp|\\.bak-[0-9TZ-]+)?))?)?$`)];
    },
    content: {
      'empty input': { input: () => '', expect: { code: 0, message: 'All 3 sources staged', writes: 'complete', crashResume: true } },
      'input of only bad items': { input: () => 'not json\n{also not\n', expect: { code: 65, message: /Record on line 1 of \S+bbc\.jsonl is not valid JSON/, writes: 'none' } },
      'a 10 MB single line': { input: () => JSON.stringify({ id: 'big', text: 'a'.repeat(TEN_MB) }) + '\n', expect: { code: 0, message: 'All 3 sources staged', writes: 'complete', plain: true } },
      'bytes that are not UTF-8': {
        input: (s) => Buffer.concat([s, notUtf8('{"id":"z","text":"caf', [0xe9, 0x22, 0x7d, 0x0a])]),
        expect: { code: 0, message: 'All 3 sources staged', writes: 'complete', crashResume: true },
      },
      'CRLF line endings': { input: crlf, expect: { code: 0, message: 'All 3 sources staged', writes: 'complete', sameAsSample: true, crashResume: true } },
      'a byte-order mark': { input: bom, expect: { code: 65, message: /Record on line 1 of \S+bbc\.jsonl is not valid JSON/, writes: 'none' } },
    },
    adjust: {
      // --staging names a folder the tool makes (with its parents), as mkdir -p does
      'output folder missing': (base) => ({
        ...base,
        name: 'staging folder missing (made, with its parents)',
        artifacts: ['bbc', 'tiktok', 'wikipedia'].map((s) => `/p/data/no-such-folder/staging/source=${s}/records.jsonl`),
        expect: { code: 0, message: 'All 3 sources staged', writes: 'complete' },
      }),
      // the output of a source is <staging>/source=<name>/records.jsonl
      'output path is a directory': (base) => ({
        ...base,
        name: "output path that is a directory (bbc's records.jsonl)",
        world: withFiles(base.world, {}, ['data/staging/source=bbc/records.jsonl']),
        expect: { code: 73, message: /records\.jsonl/, writes: 'unchanged' },
      }),
      // each source's checkpoint sits in its own folder of the staging folder
      'checkpoint folder read-only': (base) => ({
        ...base,
        name: "checkpoint folder read-only (EACCES on bbc's folder of the staging folder)",
        args: base.args.map((a) => (a.startsWith('locked/') ? 'data/staging' : a)),
        world: withFiles(base.world, {}, ['data/staging/source=bbc']),
        faults: { eacces: (p) => p.startsWith('/p/data/staging/source=bbc') },
        expect: { code: 73, message: /source=bbc/, writes: 'unchanged' },
      }),
    },
  },

  'level-3/04-exactly-once-output': {
    content: textLines(/./, false, false),
  },

  'level-4/05-checkpoint-recovery-tool': {
    content: textLines(/Item \d+ failed: not valid UTF-8 \(recorded; the batch goes on\)/, true, false),
    lock: {
      crashAfter: 4,
      live: { code: 75, message: /Another run \(pid \d+\) holds the lock \S+\.checkpoint\.json\.lock; wait for it to finish/, writes: 'unchanged' },
      dead: { code: 0, message: /was left by pid \d+, which is not running; taking it over/, writes: 'complete' },
    },
  },

  'level-5/06-checkpoint-registry': {
    // SQLite writes the database itself: those files live in a real temp folder (runner.ts)
    tool: {
      realFiles: /^registry\.db/,
      // its flags default to paths relative to where it is started (data/registry.db, ...)
      completeArgs: (argv) => {
        if (argv[0] !== 'mine-patterns') return argv;
        const out = [...argv];
        for (const [flag, value] of [['--db', 'data/registry.db'], ['--input', 'data/sample_messages.log'], ['--export', 'data/patterns.json']]) {
          if (!out.includes(flag)) out.push(flag, value!);
        }
        return out;
      },
    },
    args: ['mine-patterns', '7', '--db', 'data/registry.db', '--input', 'data/sample_messages.log', '--export', 'data/patterns.json', '--batch-size', '2'],
    output: '--export',
    checkpoint: '--db',
    // the database must stay in data/: SQLite writes it itself, and only data/ is routed to a real folder
    spread: ['--input', '--export'],
    checkpointKept: true,
    content: {
      'empty input': { input: () => '', expect: { code: 0, message: 'Checkpoint 1 completed', writes: 'complete', crashResume: true } },
      'input of only bad items': { input: () => 'garbage\nmore garbage\n', expect: { code: 65, message: 'line 1: expected 4 tab-separated fields (id, date, spam|ham, text), got 1', writes: 'none' } },
      'a 10 MB single line': { input: () => with10MbLine('1\t2026-03-01\tspam\t'), expect: { code: 0, message: 'Checkpoint 1 completed', writes: 'complete', plain: true } },
      'bytes that are not UTF-8': {
        input: (s) => Buffer.concat([s, notUtf8('9999\t2026-03-10\tspam\tcaf', [0xe9, 0x0a])]),
        expect: { code: 0, message: 'Checkpoint 1 completed', writes: 'complete', crashResume: true },
      },
      'CRLF line endings': { input: crlf, expect: { code: 0, message: 'Checkpoint 1 completed', writes: 'complete', sameAsSample: true, crashResume: true } },
      'a byte-order mark': { input: bom, expect: { code: 65, message: "line 1: id '\uFEFF# id' is not a positive whole number", writes: 'none' } },
    },
    adjust: {
      // the export is written once the mining is committed: it cannot be created (73), the row keeps the results
      'disk full': (base) => ({ ...base, expect: { ...base.expect, code: 73, message: /Cannot write export \S+patterns\.json \(ENOSPC\); checkpoint 1 keeps the results/ } }),
      // SQLite opens the database itself, beyond the kit's EACCES; and root, who runs CI here, ignores chmod
      'checkpoint folder read-only': {
        notApplicable: "the database is opened by SQLite, outside the kit's fault injection (its SQLITE_READONLY is mapped to 73 in tests/export-crash-states.test.ts)",
      },
    },
    lock: {
      crashAfter: 3,
      live: { code: 75, message: /Checkpoint 1 in \S+registry\.db is being run by pid \d+ \(since [^)]+\); wait for it to finish/, writes: 'unchanged' },
      dead: { code: 0, message: /Checkpoint 1 was left running by pid \d+, which is not running; resuming it/, writes: 'complete' },
    },
  },

  'level-6/07-parallel-partitions': {
    tool: { extraDeps: level6Runner },
    content: textLines(/not valid UTF-8/, true, false),
    lock: {
      crashAfter: 4,
      live: { code: 75, message: /Another run \(pid \d+\) holds the lock \S+\.checkpoint\.json\.lock; wait for it to finish/, writes: 'unchanged' },
      dead: { code: 0, message: /was left by pid \d+, which is not running; taking it over/, writes: 'complete' },
    },
  },
};
