// The results CSV: one row per flagged post, appended as each post is audited (the seed
// flushed rows one by one). The header is written once, when the file is created at the
// start of a fresh run, before any row, so even a run that flags nothing leaves it.
//
// Rows are appended before the checkpoint that counts them, so a crash between the two
// leaves rows the checkpoint does not know about. The seed appended more on resume and got
// duplicates. Here a resume first reconciles: it cuts the file back to the last row the
// checkpoint covers. Each row carries the index of its post for exactly that reason: the
// checkpoint is an index, and a row's index says which side of it the row is on.
import type { Fs } from './deps.ts';
import { BadDataError } from './errors.ts';
import { formatRow, parseCsv } from './csv.ts';
import type { Post } from './posts.ts';

export const RESULT_COLUMNS = ['index', 'id', 'reasons', 'text'] as const;
export const HEADER = formatRow(RESULT_COLUMNS);

export interface ResultRow {
  index: number;
  post: Post;
  reasons: string[];
}

/** A fresh results file holding just the header. */
export function createResults(fs: Fs, path: string): void {
  fs.writeFileSync(path, HEADER);
}

/** One flagged post, appended in one write. */
export function appendResult(fs: Fs, path: string, row: ResultRow): void {
  fs.appendFileSync(path, formatRow([String(row.index), row.post.id, row.reasons.join('; '), row.post.text]));
}

export interface Reconciliation {
  /** the file is missing (or holds a cut-off header) and is written anew with the header */
  writeHeader: boolean;
  /** cut the file to this many bytes (equal to its size when nothing is to be cut) */
  keepBytes: number;
  size: number;
  /** complete rows kept: posts before the checkpoint */
  keptRows: number;
  /** complete rows dropped: posts at or after the checkpoint, appended before a crash */
  droppedRows: number;
  /** a last row cut off mid-write by a crash */
  droppedTorn: boolean;
}

/**
 * Decide how the results file must change to agree with the checkpoint `next`, reading it in
 * full and changing nothing (every check comes before the first write, G3). Refuses, with
 * exit 65, a file the checkpoint cannot explain: missing while posts are done, a foreign
 * header, a malformed row, rows out of order, or a row naming a post the input does not
 * have at that index (the input changed since the checkpoint was saved).
 */
export function planReconciliation(fs: Fs, path: string, next: number, posts: Post[], checkpointPath: string): Reconciliation {
  const fresh = { writeHeader: true, keepBytes: 0, size: 0, keptRows: 0, droppedRows: 0, droppedTorn: false };
  const refuse = (what: string) => new BadDataError(`Results file ${path} ${what}; restore it, or rerun with --force to start over`);
  const covers = `checkpoint ${checkpointPath} says ${next} posts are done`;

  if (!fs.existsSync(path)) {
    // A fresh run saves checkpoint 0 before it creates the file: a crash between them.
    if (next === 0) return fresh;
    throw refuse(`is missing but ${covers}`);
  }
  const bytes = fs.readFileSync(path);
  const text = bytes.toString('utf8');
  if (text.length < HEADER.length && HEADER.startsWith(text)) {
    // Empty, or a header cut off mid-write: only a crash before the first checkpoint does that.
    if (next === 0) return { ...fresh, size: bytes.length };
    throw refuse(`holds no complete header but ${covers}`);
  }

  const { records, openQuote } = parseCsv(text);
  const [header, ...rows] = records;
  if (!header?.terminated || header.fields.join(',') !== RESULT_COLUMNS.join(',')) {
    throw refuse(`does not start with the header '${RESULT_COLUMNS.join(',')}'; it is not this tool's output`);
  }

  let keepChars = header.end;
  let keptRows = 0;
  let droppedRows = 0;
  let droppedTorn = openQuote !== undefined;
  let previous = -1;
  for (const row of rows) {
    if (!row.terminated) {
      droppedTorn = true; // the last row, cut off before its line break
      break;
    }
    const [index, id] = row.fields;
    const at = Number(index);
    if (row.fields.length !== RESULT_COLUMNS.length || !/^[0-9]+$/.test(index ?? '') || at >= posts.length) {
      throw refuse(`line ${row.line} is not a result row for this input`);
    }
    if (at <= previous) throw refuse(`line ${row.line}: index ${at} comes after index ${previous}; rows must be in order`);
    if (posts[at]!.id !== id) {
      throw refuse(`line ${row.line} names post ${id} at index ${at}, but the input has post ${posts[at]!.id} there (was the input changed?)`);
    }
    previous = at;
    if (at < next) {
      keepChars = row.end;
      keptRows++;
    } else {
      droppedRows++; // written after the last checkpoint: this run will write it again
    }
  }
  const keepBytes = Buffer.byteLength(text.slice(0, keepChars), 'utf8');
  return { writeHeader: false, keepBytes, size: bytes.length, keptRows, droppedRows, droppedTorn };
}

/** Carry out a plan from planReconciliation: write the header, or cut the file back. */
export function applyReconciliation(fs: Fs, path: string, plan: Reconciliation): void {
  if (plan.writeHeader) createResults(fs, path);
  else if (plan.keepBytes < plan.size) fs.truncateSync(path, plan.keepBytes);
}
