// Alter it, task 2: schema version 2. Each checkpoint row gains `patterns_found` (INTEGER), set
// when the run completes. A version-1 registry is migrated when a run opens it: the column is
// added, filled in for the completed rows, and PRAGMA user_version set to 2, all in one
// transaction (the seed shipped a separate migrate_add_checkpoint_table.py for this).
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { listArgs, mineArgs, query, resultRows, runTool, sql, Workspace } from '../tests/tool.ts';

const workspaces: Workspace[] = [];
afterEach(() => workspaces.splice(0).forEach((ws) => ws.remove()));
const fresh = () => {
  const ws = new Workspace();
  workspaces.push(ws);
  return ws;
};

// The registry as version 1 of the tool creates it.
const VERSION_1 = `
CREATE TABLE pattern_mining_checkpoints (
  id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, last_updated TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  days INTEGER NOT NULL, min_spam_count INTEGER NOT NULL, last_processed_message_id INTEGER,
  chunk_index INTEGER NOT NULL, patterns_in_progress TEXT,
  stage TEXT NOT NULL CHECK (stage IN ('stage1', 'stage2', 'completed')),
  metadata TEXT NOT NULL, owner_pid INTEGER, error TEXT
) STRICT;
CREATE TABLE mined_patterns (
  checkpoint_id INTEGER NOT NULL REFERENCES pattern_mining_checkpoints (id),
  pattern TEXT NOT NULL, spam_count INTEGER NOT NULL, example_message_id INTEGER NOT NULL
) STRICT;
CREATE INDEX mined_patterns_by_checkpoint ON mined_patterns (checkpoint_id);
INSERT INTO pattern_mining_checkpoints VALUES
  (1, '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 'completed', 9, 2, NULL, 0, NULL, 'completed', '{}', NULL, NULL);
INSERT INTO mined_patterns VALUES (1, 'a <n>', 2, 3), (1, 'b <n>', 4, 5), (1, 'c <url>', 2, 7);
PRAGMA user_version = 1;
`;

const columns = (ws: Workspace) => query<{ name: string }>(ws, 'PRAGMA table_info(pattern_mining_checkpoints)').map((c) => c.name);
const version = (ws: Workspace) => query<{ user_version: number }>(ws, 'PRAGMA user_version')[0]!.user_version;

describe('schema version 2: patterns_found', () => {
  it('migrates a version-1 registry when a run opens it, filling in patterns_found for completed rows', async () => {
    const ws = fresh();
    const db = new Database(ws.db);
    db.exec(VERSION_1);
    db.close();
    const run = await runTool(ws, mineArgs(ws));
    expect(run.code, run.log.join('\n')).toBe(0);
    expect(version(ws)).toBe(2);
    expect(columns(ws)).toContain('patterns_found');
    const rows = query<{ id: number; patterns_found: number | null }>(ws, 'SELECT id, patterns_found FROM pattern_mining_checkpoints ORDER BY id');
    expect(rows).toEqual([
      { id: 1, patterns_found: 3 },
      { id: 2, patterns_found: resultRows(ws).filter((r) => r.checkpoint_id === 2).length },
    ]);
  });

  it('creates a new registry at version 2, and sets patterns_found when a run completes, not before', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws, '--simulate-crash', '33'));
    expect(version(ws)).toBe(2);
    expect(query<{ patterns_found: number | null }>(ws, 'SELECT patterns_found FROM pattern_mining_checkpoints')[0]!.patterns_found).toBeNull();
    await runTool(ws, mineArgs(ws));
    const found = query<{ patterns_found: number }>(ws, 'SELECT patterns_found FROM pattern_mining_checkpoints')[0]!.patterns_found;
    expect(found).toBe(resultRows(ws).length);
    const listed = JSON.parse((await runTool(ws, listArgs(ws, '--json'))).out) as { patterns_found: number }[];
    expect(listed[0]!.patterns_found).toBe(found);
  });

  it('still refuses a registry newer than itself (version 3)', async () => {
    const ws = fresh();
    await runTool(ws, mineArgs(ws));
    sql(ws, 'PRAGMA user_version = 3');
    const run = await runTool(ws, mineArgs(ws));
    expect(run.code).toBe(65);
    expect(run.log.at(-1)).toMatch(/has schema version 3, newer than this tool understands \(2\)/);
  });
});
