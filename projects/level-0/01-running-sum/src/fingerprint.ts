// Which input a checkpoint belongs to. Seed 003 never checked: point it at another file and
// it resumed at an offset that meant nothing there, adding the old sum to the new numbers.
//
// The fingerprint is the file's size plus a SHA-256 of its first 4 KiB. It costs one small
// read however large the file is, so resume stays O(1). It is not a hash of the whole file,
// by choice: that would re-read everything on every resume. What it misses, written down:
// an edit after the first 4 KiB that keeps the size the same. (Modification times are left
// out on purpose: a copy or a `touch` changes them without changing a byte.)
import { createHash } from 'node:crypto';
import type { Deps } from './deps.ts';

export const HEAD_BYTES = 4096;

export interface InputFingerprint {
  /** bytes in the file */
  size: number;
  /** SHA-256 (hex) of the first min(size, 4096) bytes */
  headSha256: string;
}

export function fingerprintInput(fs: Deps['fs'], path: string, size: number): InputFingerprint {
  const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
  const fd = fs.openSync(path, 'r');
  try {
    let got = 0;
    while (got < head.length) {
      const read = fs.readSync(fd, head, got, head.length - got, got);
      if (read === 0) break;
      got += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { size, headSha256: createHash('sha256').update(head).digest('hex') };
}

export function sameInput(a: InputFingerprint, b: InputFingerprint): boolean {
  return a.size === b.size && a.headSha256 === b.headSha256;
}

/** For messages: "5893 bytes, head sha256 3f2a9c01..." */
export function describeFingerprint(f: InputFingerprint): string {
  return `${f.size} bytes, head sha256 ${f.headSha256.slice(0, 12)}...`;
}
