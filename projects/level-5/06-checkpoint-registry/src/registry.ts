// The checkpoint registry: one SQLite file holding every run (pattern_mining_checkpoints, the
// seed's table) and what the runs found (mined_patterns). Opening it checks, before anything
// is written, that the file is a SQLite database, that it is this tool's registry, and that
// its schema (PRAGMA user_version) is not newer than this tool (G3).
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Deps, Fs } from './deps.ts';
import { syncDir } from './durable-write.ts';
import { CorruptCheckpointError, IoError, LockHeldError, OutputError, oneLine } from './errors.ts';
import { renameWithRetry } from './rename-with-retry.ts';

export type Db = Database.Database;

/** Bump it, and teach openRegistry to migrate, whenever the tables change. */
export const SCHEMA_VERSION = 1;

// STRICT tables: SQLite refuses a string in an INTEGER column, so a wrong type can only hide
// inside the JSON columns, and that is where the tool looks for it.
const SCHEMA = `
CREATE TABLE pattern_mining_checkpoints (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  last_updated TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  days INTEGER NOT NULL,
  min_spam_count INTEGER NOT NULL,
  last_processed_message_id INTEGER,
  chunk_index INTEGER NOT NULL,
  patterns_in_progress TEXT,
  stage TEXT NOT NULL CHECK (stage IN ('stage1', 'stage2', 'completed')),
  metadata TEXT NOT NULL,
  owner_pid INTEGER,
  error TEXT
) STRICT;
CREATE TABLE mined_patterns (
  checkpoint_id INTEGER NOT NULL REFERENCES pattern_mining_checkpoints (id),
  pattern TEXT NOT NULL,
  spam_count INTEGER NOT NULL,
  example_message_id INTEGER NOT NULL
) STRICT;
CREATE INDEX mined_patterns_by_checkpoint ON mined_patterns (checkpoint_id);
`;

/** A SQLite file that belongs to something else (exit 65 like any unusable registry). */
class ForeignDatabaseError extends CorruptCheckpointError {}

export interface OpenOptions {
  /** list-checkpoints only reads: no file and no table is created when there is none */
  existingOnly?: boolean;
  /** --force: a file that is not a usable registry is moved aside and a new one created */
  force?: boolean;
}

/** Open (or create) the registry; undefined when `existingOnly` and there is no file yet. */
export function openRegistry(deps: Deps, path: string, options: OpenOptions = {}): Db | undefined {
  const { fs } = deps;
  const dir = dirname(path);
  if (!fs.existsSync(dir)) throw new OutputError(`Database folder ${dir} does not exist; create it first`);
  if (fs.existsSync(path) && fs.statSync(path).isDirectory()) throw new OutputError(`Database ${path} is a directory; pass a file path with --db`);
  if (options.existingOnly && !fs.existsSync(path)) return undefined;

  const db = connect(path);
  try {
    checkSchema(db, path, options.existingOnly ?? false);
    return db;
  } catch (error) {
    db.close();
    // Someone else's database is never moved, even with --force: the --db path is wrong.
    if (!options.force || !(error instanceof CorruptCheckpointError) || error instanceof ForeignDatabaseError) throw error;
    // --force: never delete what cannot be read; keep it beside the new registry.
    deps.log(`Moved ${path} aside to ${moveAside(fs, path, deps.now())} (${error.message.split(';')[0]})`);
    const fresh = connect(path);
    checkSchema(fresh, path, false);
    return fresh;
  }
}

// Always read-write, even to list: a crash in the middle of a commit can leave a hot journal,
// and only a read-write connection may roll it back before reading.
function connect(path: string): Db {
  try {
    return new Database(path);
  } catch (error) {
    throw new OutputError(`Cannot open database ${path} (${oneLine(error)}); check the folder's permissions`);
  }
}

function checkSchema(db: Db, path: string, existingOnly: boolean): void {
  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw new CorruptCheckpointError(`Database ${path} is not a SQLite database (${oneLine(error)}); move it aside or rerun mine-patterns with --force`);
    }
    throw error;
  }
  db.pragma('busy_timeout = 5000'); // another run committing: wait for it, briefly
  db.pragma('synchronous = FULL'); // a commit is on disk before it returns (G6)
  if (version > SCHEMA_VERSION) {
    throw new CorruptCheckpointError(
      `Database ${path} has schema version ${version}, newer than this tool understands (${SCHEMA_VERSION}); use the newer tool, or move it aside`,
    );
  }
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  if (version === 0) {
    if (tables.length > 0) {
      throw new ForeignDatabaseError(`Database ${path} is a SQLite database but not a checkpoint registry (tables: ${tables.join(', ')}); pass another --db`);
    }
    if (existingOnly) return; // an empty file: no checkpoints yet, and list-checkpoints creates nothing
    // The tables and the version in one transaction: a crash leaves no half-made registry.
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
    return;
  }
  for (const table of ['pattern_mining_checkpoints', 'mined_patterns']) {
    if (!tables.includes(table)) throw new CorruptCheckpointError(`Database ${path} has schema version ${version} but no ${table} table; move it aside or rerun mine-patterns with --force`);
  }
}

/** `<path>.bak-<YYYYMMDDTHHMMSSZ>`, with its journal beside it so the pair stays consistent. */
export function moveAside(fs: Fs, path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let aside = `${path}.bak-${stamp}`;
  // Two --force runs in the same second must not rename over (and so delete) the first backup.
  for (let n = 1; fs.existsSync(aside) || fs.existsSync(`${aside}-journal`); n++) aside = `${path}.bak-${stamp}-${n}`;
  renameWithRetry(fs, path, aside);
  if (fs.existsSync(`${path}-journal`)) renameWithRetry(fs, `${path}-journal`, `${aside}-journal`);
  syncDir(fs, dirname(path));
  return aside;
}

/** SQLite's own errors, turned into the course's named errors with a message that says what to do. */
export function explainDbError(error: unknown, path: string): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const code = error.code;
  const why = oneLine(error);
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return new IoError(`I/O error on database ${path} (${why}); the last checkpoint is intact, fix the cause and rerun`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new LockHeldError(`Database ${path} is locked by another process (${why}); try again when it has finished`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new CorruptCheckpointError(`Database ${path} is corrupt (${why}); move it aside or rerun mine-patterns with --force`);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new OutputError(`Database ${path} cannot be written (${why}); check its permissions`);
  }
  return error;
}
