// The input: one item per line. The main thread reads it once, fingerprints it (so every
// checkpoint is tied to it) and splits it into items; workers never read the input, they get
// their partition's items handed to them.
import { createHash } from 'node:crypto';
import type { Fs } from './deps.ts';
import { InputError, isIoFailure } from './errors.ts';

export interface Input {
  /** sha256 of the whole file: ties the manifest and every partition checkpoint to it */
  sha256: string;
  /** one Buffer per line, without its newline (and without a trailing \r) */
  items: Buffer[];
}

export function readInput(fs: Fs, path: string): Input {
  let bytes: Buffer;
  try {
    if (fs.statSync(path).isDirectory()) throw new InputError(`Input ${path} is a directory; pass a text file with one item per line`);
    bytes = fs.readFileSync(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`Input ${path} does not exist; check the --input path`);
    if (isIoFailure(error)) throw new InputError(`Input ${path} cannot be read (${code}); check its permissions`);
    throw error;
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), items: splitLines(bytes) };
}

/** Lines as the level-4 tool reads them: a last line without a newline still counts. */
export function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
    lines.push(trimCr(bytes.subarray(start, nl)));
    start = nl + 1;
  }
  if (start < bytes.length) lines.push(trimCr(bytes.subarray(start)));
  return lines;
}

function trimCr(line: Buffer): Buffer {
  return line.length && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
}
