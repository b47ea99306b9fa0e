// The checkpoint of one source: data/staging/source=<name>/.checkpoint.json, the guide's
// format. Its name is fixed, never derived from the run id, so a restarted process finds it.
// Everything read back is checked; nothing is guessed (G3).
import { dirname } from 'node:path';
import type { Fs } from './deps.ts';
import { syncDir, writeFileDurably } from './durable-write.ts';
import { CorruptCheckpointError } from './errors.ts';
import { renameWithRetry } from './rename-with-retry.ts';

/** Bumped when the format changes; a checkpoint from a newer tool is refused, never misread. */
export const SCHEMA_VERSION = 1;
export const CHECKPOINT_NAME = '.checkpoint.json';

export interface Checkpoint {
  /** the next record to read: records before it are done (staged or dropped) */
  last_index: number;
  /** how many of those were staged: the staged file holds exactly this many lines */
  processed_count: number;
  /** when it was saved (ISO 8601) */
  timestamp: string;
  /** the run that saved it; a resumed run keeps it */
  run_id: string;
  /** the source it belongs to: a checkpoint copied into another source's folder is refused */
  source: string;
  schema_version: number;
}

/** The checkpoint, or undefined when there is none (this source starts at record 0). */
export function loadCheckpoint(fs: Fs, path: string, source: string, datasetSize: number): Checkpoint | undefined {
  if (!fs.existsSync(path)) return undefined;
  const text = fs.readFileSync(path, 'utf8');
  const fix = 'move it aside or rerun with --force';
  if (text.trim() === '') throw new CorruptCheckpointError(`Checkpoint ${path} is empty; ${fix}`);

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CorruptCheckpointError(`Checkpoint ${path} is not valid JSON (${(error as Error).message}); ${fix}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const kind = data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data;
    throw new CorruptCheckpointError(`Checkpoint ${path} is not a JSON object (got ${kind}); ${fix}`);
  }
  const cp = data as Record<string, unknown>;
  const invalid = (field: string, expected: string) =>
    new CorruptCheckpointError(`Checkpoint ${path} has an invalid ${field} (expected ${expected}, got ${JSON.stringify(cp[field]) ?? 'nothing'}); ${fix}`);

  // The schema first: a newer tool may have changed what every other field means.
  if (!Number.isSafeInteger(cp.schema_version) || (cp.schema_version as number) < 1) throw invalid('schema_version', 'a whole number >= 1');
  if ((cp.schema_version as number) > SCHEMA_VERSION) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} has schema_version ${cp.schema_version}, newer than this tool (${SCHEMA_VERSION}); use the newer tool, or rerun with --force to start this source over`,
    );
  }
  if (typeof cp.source !== 'string') throw invalid('source', 'a string');
  if (cp.source !== source) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} was written for another input (source '${cp.source}', this folder is source '${source}'); put it back where it came from, or ${fix}`,
    );
  }
  for (const field of ['last_index', 'processed_count'] as const) {
    if (!Number.isSafeInteger(cp[field]) || (cp[field] as number) < 0) throw invalid(field, 'a whole number >= 0');
  }
  if (typeof cp.run_id !== 'string' || cp.run_id === '') throw invalid('run_id', 'a non-empty string');
  if (typeof cp.timestamp !== 'string' || Number.isNaN(Date.parse(cp.timestamp))) throw invalid('timestamp', 'an ISO 8601 time');

  const checkpoint = cp as unknown as Checkpoint;
  if (checkpoint.last_index > datasetSize) {
    // The guide's own error: a checkpoint from another version or configuration of the dataset.
    throw new CorruptCheckpointError(
      `Checkpoint ${path} offset ${checkpoint.last_index} exceeds dataset size ${datasetSize}; it is stale (the source changed), ${fix}`,
    );
  }
  if (checkpoint.processed_count > checkpoint.last_index) {
    throw new CorruptCheckpointError(`Checkpoint ${path} counts processed_count ${checkpoint.processed_count}, more than last_index ${checkpoint.last_index}; ${fix}`);
  }
  return checkpoint;
}

/** Save atomically and durably: a crash or a power loss leaves the old checkpoint or this one (G2, G6). */
export function saveCheckpoint(fs: Fs, path: string, checkpoint: Checkpoint): void {
  writeFileDurably(fs, path, `${JSON.stringify(checkpoint, null, 2)}\n`);
}

/** --force: keep the old checkpoint for inspection under a new name; never delete it silently. */
export function moveAside(fs: Fs, path: string, now: Date): string | undefined {
  if (!fs.existsSync(path)) return undefined;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let aside = `${path}.bak-${stamp}`;
  // Two --force runs in the same second must not overwrite the first backup.
  for (let n = 1; fs.existsSync(aside); n++) aside = `${path}.bak-${stamp}-${n}`;
  renameWithRetry(fs, path, aside);
  syncDir(fs, dirname(path));
  return aside;
}

/** Success: the checkpoint goes, durably, so the next run starts fresh (the guide's step 4). */
export function removeCheckpoint(fs: Fs, path: string): boolean {
  if (!fs.existsSync(path)) return false;
  fs.unlinkSync(path);
  syncDir(fs, dirname(path));
  return true;
}
