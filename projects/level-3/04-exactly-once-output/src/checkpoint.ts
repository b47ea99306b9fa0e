// The checkpoint: where the run is in the input, how much of the output that accounts for,
// and which input it belongs to, saved together in one atomic write. Everything read back is
// checked against the input before anything is written; nothing is guessed (G3).
import { dirname } from 'node:path';
import type { Fs } from './deps.ts';
import { syncDir, writeFileDurably } from './durable-write.ts';
import { CorruptCheckpointError } from './errors.ts';
import { isLineStart, type InputScan } from './input.ts';
import { renameWithRetry } from './rename-with-retry.ts';

export const SCHEMA_VERSION = 1;

export interface Checkpoint {
  schema_version: number;
  /** sha256 of the input this checkpoint was written for */
  input_sha256: string;
  /** byte offset in the input where the next line starts: resume seeks here */
  input_offset: number;
  /** lines done: the lines before input_offset */
  lines_done: number;
  /** length of the output that holds exactly those lines; anything after it is cut on resume */
  output_bytes: number;
  updated_at: string;
}

const COUNTERS = ['input_offset', 'lines_done', 'output_bytes'] as const;
const FIX = 'move it aside or rerun with --force';

/** The checkpoint, or undefined when there is none (a fresh start). */
export function loadCheckpoint(fs: Fs, path: string, input: InputScan, inputPath: string): Checkpoint | undefined {
  if (!fs.existsSync(path)) return undefined;
  if (fs.statSync(path).isDirectory()) throw new CorruptCheckpointError(`Checkpoint ${path} is a directory; ${FIX}`);
  const text = fs.readFileSync(path, 'utf8');
  if (text.trim() === '') throw new CorruptCheckpointError(`Checkpoint ${path} is empty; ${FIX}`);

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CorruptCheckpointError(`Checkpoint ${path} is not valid JSON (${(error as Error).message}); ${FIX}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const kind = data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data;
    throw new CorruptCheckpointError(`Checkpoint ${path} is not a JSON object (got ${kind}); ${FIX}`);
  }
  const cp = data as Record<string, unknown>;

  // The schema first: a newer tool may have changed every other field.
  if (!Number.isSafeInteger(cp.schema_version) || (cp.schema_version as number) < 1) {
    throw new CorruptCheckpointError(`Checkpoint ${path} has an invalid schema_version (got ${JSON.stringify(cp.schema_version)}); ${FIX}`);
  }
  if ((cp.schema_version as number) > SCHEMA_VERSION) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} has schema_version ${cp.schema_version}, newer than this tool understands (${SCHEMA_VERSION}); use a newer tool or rerun with --force`,
    );
  }
  for (const field of COUNTERS) {
    const value = cp[field];
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw new CorruptCheckpointError(`Checkpoint ${path} has an invalid ${field} (expected a whole number >= 0, got ${JSON.stringify(value)}); ${FIX}`);
    }
  }
  if (typeof cp.input_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(cp.input_sha256)) {
    throw new CorruptCheckpointError(`Checkpoint ${path} has an invalid input_sha256 (got ${JSON.stringify(cp.input_sha256)}); ${FIX}`);
  }
  // The offsets mean something only in the input they were counted in.
  if (cp.input_sha256 !== input.sha256) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} was written for another input (its sha256 differs from ${inputPath}'s); restore that input or rerun with --force`,
    );
  }
  const checkpoint = cp as unknown as Checkpoint;
  if (checkpoint.input_offset > input.size) {
    throw new CorruptCheckpointError(`Checkpoint ${path} input_offset ${checkpoint.input_offset} exceeds the input size (${input.size} bytes in ${inputPath}); ${FIX}`);
  }
  if (checkpoint.lines_done > input.lines) {
    throw new CorruptCheckpointError(`Checkpoint ${path} lines_done ${checkpoint.lines_done} exceeds the input size (${input.lines} lines in ${inputPath}); ${FIX}`);
  }
  if (!isLineStart(fs, inputPath, checkpoint.input_offset, input.size)) {
    throw new CorruptCheckpointError(`Checkpoint ${path} input_offset ${checkpoint.input_offset} is not at the start of a line of ${inputPath}; ${FIX}`);
  }
  return checkpoint;
}

/** Save atomically and durably: a crash leaves the old checkpoint or this one (G2, G6). */
export function saveCheckpoint(fs: Fs, path: string, checkpoint: Checkpoint): void {
  writeFileDurably(fs, path, `${JSON.stringify(checkpoint, null, 2)}\n`);
}

/** Done: remove the checkpoint, and make the removal survive a power loss. */
export function clearCheckpoint(fs: Fs, path: string): void {
  if (fs.existsSync(path)) fs.unlinkSync(path);
  syncDir(fs, dirname(path));
}

/** --force: keep the old checkpoint for inspection under a new name; never delete it silently. */
export function moveAside(fs: Fs, path: string, now: Date): string | undefined {
  if (!fs.existsSync(path)) return undefined;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let aside = `${path}.bak-${stamp}`;
  for (let n = 1; fs.existsSync(aside); n++) aside = `${path}.bak-${stamp}-${n}`;
  renameWithRetry(fs, path, aside);
  syncDir(fs, dirname(path));
  return aside;
}
