// A small RFC 4180 CSV reader and writer. No CSV package: the point of this level is that a
// record is not a line. A quoted field may hold commas, doubled quotes ("") and line breaks,
// so counting lines (or splitting on commas) gives the wrong answer as soon as a post says
// "hello,\nworld". The reader also reports where each record ends, in characters, so the
// results file can be cut back to a record boundary on resume.

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts (a record may span several lines) */
  line: number;
  /** character offset just past the record, including its line break */
  end: number;
  /** false for a last record with no line break after it */
  terminated: boolean;
}

export interface CsvParse {
  records: CsvRecord[];
  /** a quoted field still open at the end of the text: where its record started */
  openQuote?: { line: number; start: number };
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/**
 * Parse CSV text. A record ends at "\n" or "\r\n" outside quotes. A quote may only open a
 * field or close it; anything else is a syntax error, reported with its line.
 */
export function parseCsv(text: string): CsvParse {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let recordStart = 0;
  let i = 0;
  // 'start': at the beginning of a field; 'plain': inside an unquoted field;
  // 'quoted': inside quotes; 'closed': just after the closing quote.
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';

  const endRecord = (end: number, terminated: boolean) => {
    fields.push(field);
    records.push({ fields, line: recordLine, end, terminated });
    fields = [];
    field = '';
    state = 'start';
    recordStart = end;
    recordLine = line;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (state === 'quoted') {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'; // "" inside quotes is one quote
          i += 2;
          continue;
        }
        state = 'closed';
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    // Outside quotes: a comma ends the field, a line break ends the record.
    if (c === ',') {
      fields.push(field);
      field = '';
      state = 'start';
      i++;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      const end = i + (c === '\r' ? 2 : 1);
      line++;
      endRecord(end, true);
      i = end;
    } else if (c === '"') {
      if (state !== 'start') throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
      state = 'quoted';
      i++;
    } else {
      if (state === 'closed') throw new CsvSyntaxError(line, `unexpected '${c}' after a closing quote`);
      state = 'plain';
      field += c;
      i++;
    }
  }

  if (state === 'quoted') return { records, openQuote: { line: recordLine, start: recordStart } };
  // Text after the last line break is a record without a terminator (RFC 4180 allows it).
  if (recordStart < text.length) endRecord(text.length, false);
  return { records };
}

/** One record as CSV, with its "\n". Fields holding a comma, quote or line break are quoted. */
export function formatRow(fields: readonly string[]): string {
  return `${fields.map(quoteIfNeeded).join(',')}\n`;
}

function quoteIfNeeded(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
