// The checkpoint: where we are (a byte offset) and what we know there (the running sum),
// in ONE file written in ONE atomic replace. If they were saved apart, a crash between the
// two saves would pair an offset with the sum of a different position: numbers lost or
// counted twice.
//
//   {
//     "schemaVersion": 1,
//     "input": { "size": 6870, "headSha256": "..." },   which file this belongs to
//     "offset": 3427,                                   the next byte to read
//     "count": 500,                                     numbers summed so far
//     "runningSum": "-1234567"                          their exact sum, as a decimal string
//   }
//
// runningSum is a string because JSON.parse turns every number into a double, exact only up to
// 2^53. The generator's numbers are small enough that a double would do (|sum| <= 10^12 for a
// million numbers of at most 999,999), but the tool sums any file of integers, so it keeps a
// BigInt in memory and its decimal digits on disk.
//
// parseCheckpoint() is G3: every way the bytes can be wrong gets a one-line error naming the
// field; nothing is guessed, and a broken checkpoint is never taken as "start from zero".
import { CorruptCheckpointError } from './errors.ts';
import { describeFingerprint, sameInput, type InputFingerprint } from './fingerprint.ts';

export const SCHEMA_VERSION = 1;

export interface Checkpoint {
  schemaVersion: number;
  input: InputFingerprint;
  offset: number;
  count: number;
  runningSum: bigint;
}

export function formatCheckpoint(cp: Checkpoint): string {
  const onDisk = { ...cp, runningSum: cp.runningSum.toString() };
  return JSON.stringify(onDisk, null, 2) + '\n';
}

const HOW_TO_FIX = 'move it aside or rerun with --force to start over';

/** Parse and check a checkpoint's bytes against the input it is about to be used with. */
export function parseCheckpoint(text: string, path: string, input: { path: string; fingerprint: InputFingerprint }): Checkpoint {
  const fail = (what: string) => new CorruptCheckpointError(`Checkpoint ${path} ${what}; ${HOW_TO_FIX}`);

  if (text.trim() === '') throw fail('is empty (a save was cut off before any byte landed)');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail(`is not a JSON object (got ${JSON.stringify(raw)})`);
  const obj = raw as Record<string, unknown>;

  // The version first: a newer tool may have changed every other field.
  const version = obj.schemaVersion;
  if (!isCount(version) || version < 1) throw fail(`has no valid schemaVersion (got ${show(version)})`);
  if (version > SCHEMA_VERSION) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} was written by a newer version of this tool (schemaVersion ${version}, this tool reads ${SCHEMA_VERSION}); use the newer tool, or rerun with --force to start over`,
    );
  }

  for (const field of ['offset', 'count'] as const) {
    if (!(field in obj)) throw fail(`has no ${field}`);
    if (!isCount(obj[field])) throw fail(`has ${field} ${show(obj[field])}, which is not a non-negative integer`);
  }
  const offset = obj.offset as number;
  const count = obj.count as number;
  if (typeof obj.runningSum !== 'string' || !/^-?\d+$/.test(obj.runningSum)) {
    throw fail(`has runningSum ${show(obj.runningSum)}, which is not a string of decimal digits`);
  }
  const fingerprint = obj.input as Partial<InputFingerprint> | undefined;
  if (typeof fingerprint !== 'object' || fingerprint === null || !isCount(fingerprint.size) || typeof fingerprint.headSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(fingerprint.headSha256)) {
    throw fail(`has input ${show(fingerprint)}, which is not {size, headSha256}`);
  }
  const written: InputFingerprint = { size: fingerprint.size, headSha256: fingerprint.headSha256 };

  if (!sameInput(written, input.fingerprint)) {
    throw new CorruptCheckpointError(
      `Checkpoint ${path} was written for another input (${describeFingerprint(written)}), not ${input.path} (${describeFingerprint(input.fingerprint)}); restore that input, or rerun with --force to start over on this one`,
    );
  }
  if (offset > input.fingerprint.size) throw fail(`has offset ${offset}, which exceeds the size of ${input.path} (${input.fingerprint.size} bytes)`);
  // Every number takes at least one byte: more numbers than bytes is a checkpoint that lies.
  if (count > offset) throw fail(`has count ${count}, more numbers than the ${offset} bytes before its offset can hold`);

  return { schemaVersion: version, input: written, offset, count, runningSum: BigInt(obj.runningSum) };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
