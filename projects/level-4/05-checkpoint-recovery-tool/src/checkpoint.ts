// The checkpoint: where the run is (position) and what it has made so far (state), saved
// together in one atomic write. Everything read back is checked; nothing is guessed (G3).
import type { Fs } from './deps.ts';
import { writeFileDurably, syncDir } from './durable-write.ts';
import { renameWithRetry } from './rename-with-retry.ts';
import { CorruptCheckpointError } from './errors.ts';
import type { InputScan } from './input.ts';
import { dirname } from 'node:path';

export const SCHEMA_VERSION = 1;

export interface Checkpoint {
  schema_version: number;
  /** sha256 of the input this checkpoint was written for */
  input_sha256: string;
  /** the next item to process; items before it are done */
  next_index: number;
  /** byte offset in the input where item next_index starts: resume seeks here */
  input_offset: number;
  /** length of the staged results file that holds items 0..next_index-1 */
  staged_bytes: number;
  /** how many of those items were recorded as failures */
  failed_count: number;
  updated_at: string;
}

const COUNTERS = ['next_index', 'input_offset', 'staged_bytes', 'failed_count'] as const;

/** The checkpoint, or undefined when there is none (a fresh start). */
export function loadCheckpoint(fs: Fs, path: string, input: InputScan, inputPath: string): Checkpoint | undefined {
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

  // The schema first: a newer tool may have changed every other field.
  if (!Number.isSafeInteger(cp.schema_version) || (cp.schema_version as number) < 1) {
    throw new CorruptCheckpointError(`Checkpoint ${path} has an invalid schema_version (got ${JSON.stringify(cp.schema_version)}); ${fix}`);
  }
  if ((cp.schema_version as number) > SCHEMA_VERSION) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} has schema_version ${cp.schema_version}, newer than this tool understands (${SCHEMA_VERSION}); use a newer tool or rerun with --force`,
    );
  }
  for (const field of COUNTERS) {
    const value = cp[field];
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw new CorruptCheckpointError(`Checkpoint ${path} has an invalid ${field} (expected a whole number >= 0, got ${JSON.stringify(value)}); ${fix}`);
    }
  }
  if (typeof cp.input_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(cp.input_sha256)) {
    throw new CorruptCheckpointError(`Checkpoint ${path} has an invalid input_sha256 (got ${JSON.stringify(cp.input_sha256)}); ${fix}`);
  }
  if (cp.input_sha256 !== input.sha256) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} was written for another input (its sha256 differs from ${inputPath}); restore that input or rerun with --force`,
    );
  }
  const checkpoint = cp as unknown as Checkpoint;
  if (checkpoint.next_index > input.items) {
    throw new CorruptCheckpointError(`Checkpoint ${path} next_index ${checkpoint.next_index} exceeds the input size (${input.items} items in ${inputPath}); ${fix}`);
  }
  if (checkpoint.input_offset > input.size) {
    throw new CorruptCheckpointError(`Checkpoint ${path} input_offset ${checkpoint.input_offset} exceeds the input size (${input.size} bytes in ${inputPath}); ${fix}`);
  }
  if (checkpoint.failed_count > checkpoint.next_index) {
    throw new CorruptCheckpointError(`Checkpoint ${path} failed_count ${checkpoint.failed_count} exceeds next_index ${checkpoint.next_index}; ${fix}`);
  }
  return checkpoint;
}

/** Save atomically and durably: a crash leaves the old checkpoint or this one (G2, G6). */
export function saveCheckpoint(fs: Fs, path: string, checkpoint: Checkpoint): void {
  writeFileDurably(fs, path, `${JSON.stringify(checkpoint, null, 2)}\n`);
}

/** --force: keep the old checkpoint for inspection under a new name; never delete it silently. */
export function moveAside(fs: Fs, path: string, now: Date): string | undefined {
  if (!fs.existsSync(path)) return undefined;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let aside = `${path}.bak-${stamp}`;
  // Two --force runs in the same second must not rename over (and so delete) the first backup.
  for (let n = 1; fs.existsSync(aside); n++) aside = `${path}.bak-${stamp}-${n}`;
  renameWithRetry(fs, path, aside);
  syncDir(fs, dirname(path));
  return aside;
}
