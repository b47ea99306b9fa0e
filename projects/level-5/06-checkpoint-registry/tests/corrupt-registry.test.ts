// G3: a registry or a row that cannot be trusted is refused with exit 65 and a message that
// says what is wrong and what to do, and nothing is written: the database keeps every byte, no
// export appears. Never a guess, never a silent fresh start.
import * as fs from 'node:fs';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { corruptCheckpointCases } from '../../../../test/kit/index.ts';
import type { Deps } from '../src/deps.ts';
import { openRegistry, SCHEMA_VERSION } from '../src/registry.ts';
import { checkpointRows, listArgs, mineArgs, resultRows, resumeArgs, runTool, sql, Workspace, type Files } from './tool.ts';

const workspaces: Workspace[] = [];
afterEach(() => workspaces.splice(0).forEach((ws) => ws.remove()));
const fresh = () => {
  const ws = new Workspace();
  workspaces.push(ws);
  return ws;
};

/** A workspace holding a real unfinished row: crashed in stage 1 after message 18 was saved. */
async function crashedInStage1(): Promise<Workspace> {
  const ws = fresh();
  expect((await runTool(ws, mineArgs(ws, '--simulate-crash', '25'))).code).toBe('crashed');
  expect(checkpointRows(ws)[0]).toMatchObject({ stage: 'stage1', last_processed_message_id: 18, chunk_index: 10 });
  return ws;
}

function sameFiles(before: Files, after: Files): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => !before.get(n)?.equals(after.get(n) ?? Buffer.alloc(0)) || !after.has(n) || !before.has(n));
}

/** Both ways to resume refuse the row with exit 65 and this message, and change nothing. */
async function expectRefused(ws: Workspace, message: RegExp): Promise<void> {
  for (const argv of [mineArgs(ws), resumeArgs(ws, 1)]) {
    const before = ws.files();
    const run = await runTool(ws, argv);
    expect(run.code, `${argv[0]}: ${run.log.join(' | ')}`).toBe(65);
    expect(run.log.at(-1)).toMatch(message);
    expect(run.log.at(-1)).toMatch(/^Error: .*; .+/); // one line: what is wrong; what to do
    expect(sameFiles(before, ws.files()), 'files changed by a refused run').toEqual([]);
    expect(ws.exists('patterns.json')).toBe(false);
  }
}

describe('a corrupt checkpoint row', () => {
  // The kit's G3 cases, mapped onto the row: whole-content cases go into the JSON column of
  // intermediate results, field cases into the position column.
  const cases = corruptCheckpointCases({ valid: { last_processed_message_id: 18, chunk_index: 10 }, offsetField: 'last_processed_message_id', pastEnd: 99 });

  for (const c of cases) {
    it(`is refused with exit 65 when ${c.name}, and nothing is written`, async () => {
      const ws = await crashedInStage1();
      let fields: Record<string, unknown> | undefined;
      try {
        const parsed = JSON.parse(c.content) as unknown;
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) fields = parsed as Record<string, unknown>;
      } catch {
        // not JSON: it goes into the JSON column
      }
      if (!fields) {
        sql(ws, 'UPDATE pattern_mining_checkpoints SET patterns_in_progress = ? WHERE id = 1', c.content);
        return expectRefused(ws, c.message);
      }
      const value = 'last_processed_message_id' in fields ? fields.last_processed_message_id : null;
      if (typeof value === 'string') {
        // A STRICT table refuses the wrong type itself: this corruption cannot be stored.
        expect(() => sql(ws, 'UPDATE pattern_mining_checkpoints SET last_processed_message_id = ? WHERE id = 1', 'abc')).toThrow(/cannot store TEXT value in INTEGER column/);
        return;
      }
      sql(ws, 'UPDATE pattern_mining_checkpoints SET last_processed_message_id = ? WHERE id = 1', value);
      return expectRefused(ws, c.message);
    });
  }

  const rowCases: { name: string; set: string; value: unknown; message: RegExp }[] = [
    { name: 'patterns_in_progress is SQL NULL', set: 'patterns_in_progress', value: null, message: /patterns_in_progress is missing/ },
    { name: 'a group count is a string', set: 'patterns_in_progress', value: '{"hi mum i lost my phone text me on <n>": {"count": "3", "example": 30}}', message: /group "hi mum .*" must be \{"count": <n>, "example": <id>\}, got \{"count":"3"/ },
    { name: 'a group key is not a template', set: 'patterns_in_progress', value: '{"__proto__": {"count": 1, "example": 30}}', message: /"__proto__" is not a message template/ },
    { name: 'the counts do not match the position', set: 'patterns_in_progress', value: '{"hi mum i lost my phone text me on <n>": {"count": 1, "example": 30}}', message: /counts 1 spam messages, but last_processed_message_id 18 covers \d+/ },
    { name: 'the position is not a message of the window', set: 'last_processed_message_id', value: 5, message: /last_processed_message_id 5 is not a message of the window 2026-03-04 to 2026-03-10/ },
    { name: 'chunk_index is negative', set: 'chunk_index', value: -1, message: /chunk_index -1 is negative/ },
    { name: 'the metadata is not JSON', set: 'metadata', value: '{"input": "data/sample_mess', message: /metadata is not valid JSON/ },
    { name: 'the metadata has no input', set: 'metadata', value: '{"export": "x.json"}', message: /metadata.input must be a file path, got undefined/ },
    { name: 'the metadata has batch_size 0', set: 'metadata', value: null, message: /metadata.batch_size must be a positive whole number, got 0/ },
  ];
  for (const c of rowCases) {
    it(`is refused with exit 65 when ${c.name}, and nothing is written`, async () => {
      const ws = await crashedInStage1();
      let value = c.value;
      if (c.set === 'metadata' && value === null) value = JSON.stringify({ ...JSON.parse(checkpointRows(ws)[0]!.metadata), batch_size: 0 });
      sql(ws, `UPDATE pattern_mining_checkpoints SET ${c.set} = ? WHERE id = 1`, value);
      await expectRefused(ws, c.message);
    });
  }

  it('is refused with exit 65 when its stage-2 position is not the newest message of any group', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws, '--checkpoint-every', '2', '--simulate-crash', '34'));
    expect(checkpointRows(ws)[0]).toMatchObject({ stage: 'stage2' });
    sql(ws, 'UPDATE pattern_mining_checkpoints SET last_processed_message_id = 31 WHERE id = 1');
    await expectRefused(ws, /last_processed_message_id 31 is not the newest message of any group/);
  });

  it('is refused with exit 65 when it was written for another input (the log changed since)', async () => {
    const ws = await crashedInStage1();
    writeFileSync(ws.input, `${ws.read('sample_messages.log')}38\t2026-03-11\tspam\tWIN a FREE iPhone 17 now! Claim at http://win.example/g7\n`);
    await expectRefused(ws, /Checkpoint 1 in .*registry\.db was written for another input \(sha256 [0-9a-f]{12}\.\.\., .* is now [0-9a-f]{12}\.\.\.\); restore that input, or start over with mine-patterns 7 --min-spam-count 2 --force/);
  });

  it('is set aside by --force (marked failed, kept) and a new run starts', async () => {
    const ws = await crashedInStage1();
    sql(ws, "UPDATE pattern_mining_checkpoints SET patterns_in_progress = '{' WHERE id = 1");
    const run = await runTool(ws, mineArgs(ws, '--force'));
    expect(run.code).toBe(0);
    expect(run.log[0]).toMatch(/^Checkpoint 1 set aside \(marked failed, kept in .*\): starting over because of --force$/);
    expect(checkpointRows(ws)).toMatchObject([
      { id: 1, status: 'failed', patterns_in_progress: '{', error: 'set aside by mine-patterns --force' },
      { id: 2, status: 'completed' },
    ]);
    expect(resultRows(ws).every((r) => r.checkpoint_id === 2)).toBe(true);
  });
});

describe('a database that is not a usable registry', () => {
  const notADatabase = 'this is not a database\n';

  it('is refused with exit 65 when the file is not a SQLite database, by every command, untouched', async () => {
    const ws = fresh();
    writeFileSync(ws.db, notADatabase);
    for (const argv of [mineArgs(ws), resumeArgs(ws, 1), listArgs(ws)]) {
      const run = await runTool(ws, argv);
      expect(run.code, argv[0]).toBe(65);
      expect(run.log.at(-1)).toMatch(/^Error: Database .*registry\.db is not a SQLite database \(file is not a database\); move it aside or rerun mine-patterns with --force$/);
    }
    expect(ws.read('registry.db')).toBe(notADatabase);
    expect(ws.exists('patterns.json')).toBe(false);
  });

  it('is refused with exit 65 when its schema version (PRAGMA user_version) is newer than the tool', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws));
    sql(ws, `PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    const before = ws.files();
    for (const argv of [mineArgs(ws), resumeArgs(ws, 1), listArgs(ws)]) {
      const run = await runTool(ws, argv);
      expect(run.code, argv[0]).toBe(65);
      expect(run.log.at(-1)).toMatch(new RegExp(`has schema version ${SCHEMA_VERSION + 1}, newer than this tool understands \\(${SCHEMA_VERSION}\\); use the newer tool, or move it aside$`));
    }
    expect(sameFiles(before, ws.files())).toEqual([]);
  });

  it("is refused with exit 65 when it is someone else's SQLite database, even with --force", async () => {
    const ws = fresh();
    const other = new Database(ws.db);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)');
    other.close();
    const before = ws.files();
    for (const argv of [mineArgs(ws), mineArgs(ws, '--force'), listArgs(ws)]) {
      const run = await runTool(ws, argv);
      expect(run.code, argv.join(' ')).toBe(65);
      expect(run.log.at(-1)).toMatch(/is a SQLite database but not a checkpoint registry \(tables: invoices\); pass another --db$/);
    }
    expect(sameFiles(before, ws.files())).toEqual([]);
  });

  it('is refused with exit 65 when a table of the registry is missing', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws));
    sql(ws, 'DROP TABLE mined_patterns');
    const run = await runTool(ws, mineArgs(ws));
    expect(run.code).toBe(65);
    expect(run.log.at(-1)).toMatch(new RegExp(`has schema version ${SCHEMA_VERSION} but no mined_patterns table`));
  });

  it('is moved aside by --force (never deleted) and a new registry is created', async () => {
    const ws = fresh();
    writeFileSync(ws.db, notADatabase);
    const run = await runTool(ws, mineArgs(ws, '--force'));
    expect(run.code).toBe(0);
    expect(run.log[0]).toMatch(/^Moved .*registry\.db aside to .*registry\.db\.bak-20261125T120000Z \(Database .* is not a SQLite database \(file is not a database\)\)$/);
    expect(ws.read('registry.db.bak-20261125T120000Z')).toBe(notADatabase);
    expect(checkpointRows(ws)).toMatchObject([{ id: 1, status: 'completed' }]);
  });

  it('keeps the first backup when --force runs twice in the same second', async () => {
    const ws = fresh();
    writeFileSync(`${ws.db}.bak-20261125T120000Z`, 'the first one');
    writeFileSync(ws.db, notADatabase);
    const run = await runTool(ws, mineArgs(ws, '--force'));
    expect(run.code).toBe(0);
    expect(ws.read('registry.db.bak-20261125T120000Z')).toBe('the first one');
    expect(ws.read('registry.db.bak-20261125T120000Z-1')).toBe(notADatabase);
  });

  it('is a new, empty registry when the file is empty (SQLite reads a 0-byte file as an empty database)', async () => {
    const ws = fresh();
    writeFileSync(ws.db, '');
    expect((await runTool(ws, listArgs(ws))).out).toBe(`No checkpoints in ${ws.db}\n`);
    expect(ws.read('registry.db')).toBe(''); // listing created nothing
    const run = await runTool(ws, mineArgs(ws));
    expect(run.code).toBe(0);
    expect(run.log[0]).toMatch(/^Started checkpoint 1: /);
  });

  it('is created with its schema version and STRICT tables, and opened with synchronous=FULL', () => {
    const ws = fresh();
    const db = openRegistry({ fs, log: () => {}, now: () => new Date() } as unknown as Deps, ws.db)!;
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL: a commit is on disk when it returns
      const table = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'pattern_mining_checkpoints'").get() as { sql: string };
      expect(table.sql).toMatch(/\) STRICT$/);
    } finally {
      db.close();
    }
  });
});
