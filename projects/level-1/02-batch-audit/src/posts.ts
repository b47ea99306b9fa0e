// The input: a CSV of posts with the header id,created_at,text (an archive export). It is
// read and checked in full before anything is written, so a bad record stops the run with
// nothing half done (level 1 treats an unusable record as fatal: exit 65).
import type { Fs } from './deps.ts';
import { BadDataError, InputError } from './errors.ts';
import { CsvSyntaxError, parseCsv } from './csv.ts';

export const POST_COLUMNS = ['id', 'created_at', 'text'] as const;

export interface Post {
  id: string;
  /** YYYY-MM-DD, optionally followed by THH:MM:SSZ */
  createdAt: string;
  text: string;
}

const ID = /^[0-9]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

export function readPosts(fs: Fs, path: string): Post[] {
  let text: string;
  try {
    if (fs.statSync(path).isDirectory()) throw new InputError(`Input ${path} is a folder; pass the posts CSV file`);
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`Input file ${path} not found; check --input`);
    throw new InputError(`Input file ${path} cannot be read (${code ?? (error as Error).message}); check its permissions`);
  }
  return parsePosts(text.replace(/^\uFEFF/, ''), path); // a BOM, as spreadsheets write it, is not part of the header
}

export function parsePosts(text: string, path: string): Post[] {
  const bad = (line: number, reason: string) => new BadDataError(`Input ${path} line ${line}: ${reason}; fix the file and rerun`);
  let parsed;
  try {
    parsed = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw bad(error.line, error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  if (parsed.openQuote) throw bad(parsed.openQuote.line, 'a quoted field is never closed');

  const [header, ...rows] = parsed.records;
  if (!header || header.fields.join(',') !== POST_COLUMNS.join(',')) {
    throw bad(1, `expected the header '${POST_COLUMNS.join(',')}', got '${header?.fields.join(',') ?? ''}'`);
  }
  const posts: Post[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.fields.length === 1 && row.fields[0] === '') continue; // a blank line is not a post
    if (row.fields.length !== POST_COLUMNS.length) throw bad(row.line, `expected ${POST_COLUMNS.length} fields, got ${row.fields.length}`);
    const [id, createdAt, body] = row.fields as [string, string, string];
    if (!ID.test(id)) throw bad(row.line, `id must be digits, got '${id}'`);
    if (seen.has(id)) throw bad(row.line, `id ${id} appears twice`);
    if (!DATE.test(createdAt)) throw bad(row.line, `created_at must look like 2014-01-31 or 2014-01-31T12:00:00Z, got '${createdAt}'`);
    seen.add(id);
    posts.push({ id, createdAt, text: body });
  }
  return posts;
}
