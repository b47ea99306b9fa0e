// What the pipeline does to one record: clean its text and stage it as one JSON line, or drop
// it when nothing is left. The same record always gives the same bytes, so a batch redone
// after a crash writes exactly what the lost attempt would have written (G1, G5).

/** The staged line for a record (with its newline), or undefined when the record is dropped. */
export function stageRecord(source: string, index: number, record: { id: string; text: string }): string | undefined {
  const text = record.text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (text === '') return undefined; // nothing to learn from: dropped, and not counted as processed
  const words = text.split(' ').length;
  return `${JSON.stringify({ source, index, id: record.id, text, words })}\n`;
}
