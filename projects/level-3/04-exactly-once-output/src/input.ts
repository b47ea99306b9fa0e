// The input: one message per line, read by byte offset so a resume seeks to where the last
// checkpoint stopped instead of reading (and processing) everything again (G10).
import { createHash } from 'node:crypto';
import type { Fs } from './deps.ts';
import { InputError, isIoFailure } from './errors.ts';

const CHUNK = 64 * 1024;

export interface InputScan {
  /** sha256 of the whole file, computed chunk by chunk: ties a checkpoint to its input */
  sha256: string;
  size: number;
  /** number of lines (a last line without a newline counts) */
  lines: number;
}

/**
 * One streaming pass over the file: its fingerprint, and how many lines it holds (for the
 * percentage). Hashing reads the bytes but processes none of them; memory stays one chunk.
 */
export function scanInput(fs: Fs, path: string): InputScan {
  const hash = createHash('sha256');
  let size = 0;
  let newlines = 0;
  let lastByte = -1;
  for (const chunk of readChunks(fs, path, 0)) {
    hash.update(chunk);
    size += chunk.length;
    for (const byte of chunk) if (byte === 0x0a) newlines++;
    lastByte = chunk[chunk.length - 1]!;
  }
  const lines = newlines + (size > 0 && lastByte !== 0x0a ? 1 : 0);
  return { sha256: hash.digest('hex'), size, lines };
}

/** Whether `offset` is where a line starts (or the end of the file): the only places a checkpoint can point. */
export function isLineStart(fs: Fs, path: string, offset: number, size: number): boolean {
  if (offset === 0 || offset === size) return true;
  const fd = fs.openSync(path, 'r');
  try {
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, offset - 1);
    return byte[0] === 0x0a;
  } finally {
    fs.closeSync(fd);
  }
}

export interface Line {
  /** the line's bytes, without its newline (and without a trailing \r) */
  bytes: Buffer;
  /** byte offset just past this line's newline: where the next line starts */
  end: number;
}

/** The lines of the file from byte `offset` on: the first read is at `offset`, never before. */
export function* readLines(fs: Fs, path: string, offset: number): Generator<Line> {
  let pending: Buffer = Buffer.alloc(0);
  let position = offset;
  for (const chunk of readChunks(fs, path, offset)) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let nl = pending.indexOf(0x0a, start); nl !== -1; nl = pending.indexOf(0x0a, start)) {
      position += nl - start + 1;
      yield { bytes: trimCr(pending.subarray(start, nl)), end: position };
      start = nl + 1;
    }
    pending = pending.subarray(start);
  }
  if (pending.length) yield { bytes: trimCr(pending), end: position + pending.length };
}

function trimCr(bytes: Buffer): Buffer {
  return bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, -1) : bytes;
}

function* readChunks(fs: Fs, path: string, from: number): Generator<Buffer> {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
    if (fs.fstatSync(fd).isDirectory()) {
      fs.closeSync(fd);
      throw new InputError(`Input ${path} is a directory; pass a text file with one message per line`);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`Input ${path} does not exist; check the --input path`);
    if (code === 'EISDIR') throw new InputError(`Input ${path} is a directory; pass a text file with one message per line`);
    if (isIoFailure(error)) throw new InputError(`Input ${path} cannot be read (${code}); check its permissions`);
    throw error;
  }
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (let position = from; ; ) {
      const n = fs.readSync(fd, buffer, 0, CHUNK, position);
      if (n === 0) return;
      position += n;
      yield Buffer.from(buffer.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
}
