// What the manifest and the partition checkpoints share: reading a JSON object back and
// checking it field by field. Anything wrong is refused with its file named and what to do;
// nothing is guessed (G3).
import type { Fs } from './deps.ts';
import { CorruptCheckpointError } from './errors.ts';

export const SCHEMA_VERSION = 1;
export const FIX = 'move it aside or rerun with --force';

/** The file's JSON object with a schema this tool understands, or undefined when there is no file. */
export function readCheckpointObject(fs: Fs, path: string, what: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(path)) return undefined;
  const text = fs.readFileSync(path, 'utf8');
  if (text.trim() === '') throw new CorruptCheckpointError(`${what} ${path} is empty; ${FIX}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CorruptCheckpointError(`${what} ${path} is not valid JSON (${(error as Error).message}); ${FIX}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const kind = data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data;
    throw new CorruptCheckpointError(`${what} ${path} is not a JSON object (got ${kind}); ${FIX}`);
  }
  const object = data as Record<string, unknown>;
  // The schema first: a newer tool may have changed every other field.
  if (!Number.isSafeInteger(object.schema_version) || (object.schema_version as number) < 1) {
    throw new CorruptCheckpointError(`${what} ${path} has an invalid schema_version (got ${JSON.stringify(object.schema_version)}); ${FIX}`);
  }
  if ((object.schema_version as number) > SCHEMA_VERSION) {
    throw new CorruptCheckpointError(
      `${what} ${path} has schema_version ${object.schema_version}, newer than this tool understands (${SCHEMA_VERSION}); use a newer tool or rerun with --force`,
    );
  }
  return object;
}

/** Each field must be a whole number >= 0. */
export function requireCounters(object: Record<string, unknown>, fields: readonly string[], what: string, path: string): void {
  for (const field of fields) {
    const value = object[field];
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      throw new CorruptCheckpointError(`${what} ${path} has an invalid ${field} (expected a whole number >= 0, got ${JSON.stringify(value)}); ${FIX}`);
    }
  }
}

/** The input fingerprint must be a sha256, and the one of this input. */
export function requireInput(object: Record<string, unknown>, sha256: string, what: string, path: string, inputPath: string): void {
  if (typeof object.input_sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(object.input_sha256)) {
    throw new CorruptCheckpointError(`${what} ${path} has an invalid input_sha256 (got ${JSON.stringify(object.input_sha256)}); ${FIX}`);
  }
  if (object.input_sha256 !== sha256) {
    throw new CorruptCheckpointError(`${what} ${path} was written for another input (its sha256 differs from ${inputPath}); restore that input or rerun with --force`);
  }
}
