// The numbers of a file, one per line, read from a byte offset with an async generator.
//
// It opens the file, reads fixed-size chunks with fs.readSync at an explicit position (a
// seek, not a scan), and yields each number with the byte range of its line. A caller that
// saves `end` as its offset can resume with readNumbers(path, end) and never read the summed
// bytes again: resume costs the same at the start of the file as at the end (G10).
import type { Deps } from './deps.ts';
import { BadRecordError } from './errors.ts';

export interface NumberAt {
  value: bigint;
  /** byte offset of the first character of the line */
  start: number;
  /** byte offset just past the line's newline: where the next line starts */
  end: number;
}

export const DEFAULT_CHUNK_BYTES = 64 * 1024;
/** A line longer than this cannot be one of our numbers; stop rather than buffer without limit. */
export const MAX_LINE_BYTES = 64;
const NEWLINE = 0x0a;
const INTEGER = /^-?\d+$/;

export async function* readNumbers(
  fs: Deps['fs'],
  path: string,
  fromOffset: number,
  chunkBytes = DEFAULT_CHUNK_BYTES,
): AsyncGenerator<NumberAt> {
  const fd = fs.openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(chunkBytes);
    let position = fromOffset; // the next byte to read from the file
    let lineStart = fromOffset; // where the line being assembled starts
    let pending = Buffer.alloc(0); // bytes of a line whose newline is in a later chunk
    for (;;) {
      const read = fs.readSync(fd, chunk, 0, chunkBytes, position);
      if (read === 0) break;
      position += read;
      const data = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let from = 0;
      for (let newline = data.indexOf(NEWLINE, from); newline !== -1; newline = data.indexOf(NEWLINE, from)) {
        const end = lineStart + (newline - from) + 1;
        yield { value: parseLine(data.subarray(from, newline), path, lineStart), start: lineStart, end };
        lineStart = end;
        from = newline + 1;
      }
      // Copy: `chunk` is reused by the next read.
      pending = Buffer.from(data.subarray(from));
      if (pending.length > MAX_LINE_BYTES) throw badLine(path, lineStart, pending);
    }
    // The last line may have no newline; it still counts, and ends at the end of the file.
    if (pending.length > 0) yield { value: parseLine(pending, path, lineStart), start: lineStart, end: lineStart + pending.length };
  } finally {
    fs.closeSync(fd);
  }
}

function parseLine(bytes: Buffer, path: string, start: number): bigint {
  const text = bytes.toString('utf8');
  if (!INTEGER.test(text)) throw badLine(path, start, bytes);
  return BigInt(text);
}

function badLine(path: string, start: number, bytes: Buffer): BadRecordError {
  const shown = JSON.stringify(bytes.subarray(0, 20).toString('utf8'));
  return new BadRecordError(
    `Input ${path} has a line that is not an integer at byte ${start}: ${shown}; fix that line or regenerate the input`,
  );
}
