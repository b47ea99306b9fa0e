// What the tool does to each line: one JSON line out per line in. It depends on the line and
// its number only, never on the clock or the batch, so a resumed run writes the same bytes.
const SPAM = /\b(free|winner|prize|crypto|giveaway)\b|https?:\/\//i;

export function transformLine(lineNumber: number, bytes: Buffer): string {
  const text = bytes.toString('utf8');
  const words = text.split(/\s+/).filter(Boolean).length;
  return `${JSON.stringify({ line: lineNumber, words, spam: SPAM.test(text), text })}\n`;
}
