// The work itself, as the seed does it: a few facts about each line. A line that cannot be
// processed throws BadItemError; the run records the reason and the batch goes on.
import { BadItemError } from './errors.ts';

export interface ItemResult {
  index: number;
  original: string;
  length: number;
  word_count: number;
  uppercase: string;
}

export interface ItemFailure {
  index: number;
  original: string;
  error: string;
}

// ignoreBOM: keep a U+FEFF inside the text; only the first item drops it (below).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export function processItem(index: number, bytes: Buffer): ItemResult {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new BadItemError('not valid UTF-8');
  }
  if (index === 0) text = text.replace(/^\uFEFF/, ''); // a byte-order mark is not part of the first item
  return {
    index,
    original: text,
    length: [...text].length,
    word_count: text.split(/\s+/).filter(Boolean).length,
    uppercase: text.toUpperCase(),
  };
}

/** Process one item; a bad one becomes a recorded failure instead of sinking the batch. */
export function processOrRecord(index: number, bytes: Buffer): ItemResult | ItemFailure {
  try {
    return processItem(index, bytes);
  } catch (error) {
    if (!(error instanceof BadItemError)) throw error;
    return { index, original: lossyUtf8.decode(bytes), error: error.message };
  }
}
