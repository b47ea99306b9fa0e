// The sources: one JSON Lines file per source in the --sources folder, named <source>.jsonl.
// Every record is read and checked before anything is written (G4): a bad line stops the run
// with its line number, and the staged output and checkpoints stay as they were.
import { join } from 'node:path';
import type { Fs } from './deps.ts';
import { BadRecordError, InputError, isIoFailure } from './errors.ts';

export interface SourceRecord {
  id: string;
  text: string;
}

export interface Source {
  /** the file name without .jsonl: it names the staging folder, source=<name> */
  name: string;
  path: string;
  records: SourceRecord[];
}

const EXTENSION = '.jsonl';
/** A source name becomes a folder name, so keep it to characters every file system takes. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Every source in the folder, sorted by name so every run visits them in the same order (G5). */
export function readSources(fs: Fs, dir: string): Source[] {
  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) throw new InputError(`Sources ${dir} is not a folder; pass the folder that holds the <source>.jsonl files`);
    names = (fs.readdirSync(dir) as string[]).filter((name) => name.endsWith(EXTENSION)).sort();
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`Sources folder ${dir} does not exist; check the --sources path`);
    if (isIoFailure(error)) throw new InputError(`Sources folder ${dir} cannot be read (${code}); check its permissions`);
    throw error;
  }
  if (names.length === 0) throw new InputError(`Sources folder ${dir} holds no ${EXTENSION} files; add one file per source`);
  return names.map((file) => {
    const name = file.slice(0, -EXTENSION.length);
    const path = join(dir, file);
    if (!SAFE_NAME.test(name)) throw new InputError(`Source file ${path}: the name '${name}' must be letters, digits, '_', '.' or '-'; rename the file`);
    return { name, path, records: readRecords(fs, path) };
  });
}

function readRecords(fs: Fs, path: string): SourceRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new InputError(`Source ${path} is a folder; a source is one .jsonl file`);
    if (isIoFailure(error)) throw new InputError(`Source ${path} cannot be read (${code}); check its permissions`);
    throw error;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the newline that ends the last record
  return lines.map((line, i) => parseRecord(line.replace(/\r$/, ''), path, i + 1));
}

function parseRecord(line: string, path: string, lineNumber: number): SourceRecord {
  const where = `Record on line ${lineNumber} of ${path}`;
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (error) {
    throw new BadRecordError(`${where} is not valid JSON (${(error as Error).message}); fix or remove that line`);
  }
  const record = data as Partial<SourceRecord> | null;
  if (typeof record !== 'object' || record === null || Array.isArray(record) || typeof record.id !== 'string' || typeof record.text !== 'string') {
    throw new BadRecordError(`${where} must be a JSON object with string "id" and "text"; fix or remove that line`);
  }
  return { id: record.id, text: record.text };
}
