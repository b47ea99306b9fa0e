// The input: a message log, one message per line, tab-separated:
//   <id> TAB <YYYY-MM-DD> TAB <spam|ham> TAB <text>
// Lines starting with '#' and blank lines are skipped. Ids grow down the file (the log is in
// arrival order), so "newest first" is "highest id first". The whole log is checked before
// anything is written: a bad line is exit 65, never skipped (mining half a log is a guess).
import { createHash } from 'node:crypto';
import type { Fs } from './deps.ts';
import { BadInputError, InputError } from './errors.ts';

export interface Message {
  id: number;
  day: string;
  spam: boolean;
  text: string;
}

export interface MessageLog {
  path: string;
  /** ties a checkpoint to the exact bytes it was started on */
  sha256: string;
  /** in file order: oldest first */
  messages: Message[];
}

export interface Window {
  days: number;
  from: string;
  to: string;
  /** the messages of the window, newest first: the order both stages process in */
  newestFirst: Message[];
}

export function readMessageLog(fs: Fs, path: string): MessageLog {
  let bytes: Buffer;
  try {
    if (fs.statSync(path).isDirectory()) throw new InputError(`Message log ${path} is a directory; pass a file with --input`);
    bytes = fs.readFileSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`Message log ${path} does not exist; check the --input path`);
    throw new InputError(`Message log ${path} cannot be read (${code ?? (error as Error).message}); check its permissions`);
  }
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), messages: parse(bytes.toString('utf8'), path) };
}

function parse(text: string, path: string): Message[] {
  const messages: Message[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const bad = (why: string) => new BadInputError(`Message log ${path} line ${index + 1}: ${why}; fix the line, then rerun`);
    const fields = line.split('\t');
    if (fields.length !== 4) throw bad(`expected 4 tab-separated fields (id, date, spam|ham, text), got ${fields.length}`);
    const [idText, day, label, body] = fields as [string, string, string, string];
    const id = Number(idText);
    if (!/^[0-9]+$/.test(idText) || !Number.isSafeInteger(id) || id < 1) throw bad(`id '${idText}' is not a positive whole number`);
    const previous = messages.at(-1);
    if (previous && id <= previous.id) throw bad(`id ${id} does not follow ${previous.id} (ids must increase down the log)`);
    if (!isDay(day)) throw bad(`date '${day}' is not a YYYY-MM-DD day`);
    if (previous && day < previous.day) throw bad(`date ${day} is before ${previous.day} (the log must be in arrival order)`);
    if (label !== 'spam' && label !== 'ham') throw bad(`label '${label}' is neither spam nor ham`);
    if (body.trim() === '') throw bad('the text is empty');
    messages.push({ id, day, spam: label === 'spam', text: body });
  });
  return messages;
}

function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

/**
 * The last `days` days of the log, ending on the day of its newest message. Counted from the
 * log, not from the clock, so a resume a week later mines the same window as the first run.
 */
export function windowOf(log: MessageLog, days: number): Window {
  const newest = log.messages.at(-1);
  if (!newest) return { days, from: '', to: '', newestFirst: [] };
  const to = newest.day;
  const start = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000);
  // A window wider than any date (days = 10^12) starts at the oldest message.
  const from = Number.isNaN(start.getTime()) ? log.messages[0]!.day : start.toISOString().slice(0, 10);
  const newestFirst = log.messages.filter((m) => m.day >= from).reverse();
  return { days, from, to, newestFirst };
}
