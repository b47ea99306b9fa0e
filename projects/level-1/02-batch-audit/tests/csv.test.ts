// The RFC 4180 reader and writer: a record is not a line.
import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, formatRow, parseCsv } from '../src/csv.ts';

const fields = (text: string) => parseCsv(text).records.map((r) => r.fields);

describe('the CSV reader', () => {
  it('splits plain fields on commas and records on line breaks', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(fields('1,"hello, world","say ""hi""","two\nlines"\n')).toEqual([['1', 'hello, world', 'say "hi"', 'two\nlines']]);
  });

  it('accepts CRLF between records and keeps CRLF inside quotes', () => {
    expect(fields('a,b\r\n1,"x\r\ny"\r\n')).toEqual([['a', 'b'], ['1', 'x\r\ny']]);
  });

  it('keeps empty fields, a quoted empty field and a blank line', () => {
    expect(fields(',"",\n\n')).toEqual([['', '', ''], ['']]);
  });

  it('reports where each record ends, and the line it starts on, across quoted line breaks', () => {
    const text = 'h\n"a\nb"\nc\n';
    const { records } = parseCsv(text);
    expect(records.map((r) => [r.line, r.end])).toEqual([[1, 2], [2, 8], [4, 10]]);
    expect(text.slice(0, records[1]!.end)).toBe('h\n"a\nb"\n');
  });

  it('marks a last record without a line break as unterminated', () => {
    const { records } = parseCsv('a,b\n1,2');
    expect(records.map((r) => r.terminated)).toEqual([true, false]);
    expect(records[1]!.fields).toEqual(['1', '2']);
  });

  it('reports a quoted field still open at the end instead of inventing a record', () => {
    const result = parseCsv('a\n"b\nc');
    expect(result.records.map((r) => r.fields)).toEqual([['a']]);
    expect(result.openQuote).toEqual({ line: 2, start: 2 });
  });

  it('rejects a quote inside an unquoted field, and text after a closing quote, with the line', () => {
    expect(() => parseCsv('a\nb"c\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\nb"c\n')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('"a\nb"x\n')).toThrow(/line 2: unexpected 'x' after a closing quote/);
  });
});

describe('the CSV writer', () => {
  it('quotes only the fields that need it and doubles their quotes', () => {
    expect(formatRow(['1', 'plain text', 'a,b', 'say "hi"', 'x\ny'])).toBe('1,plain text,"a,b","say ""hi""","x\ny"\n');
  });

  it('writes what the reader reads back, field for field', () => {
    const rows = [['index', 'text'], ['0', ''], ['1', ',,,'], ['2', '""'], ['3', 'a\r\nb\nc'], ['4', 'emoji 🎉, "quoted"']];
    expect(fields(rows.map(formatRow).join(''))).toEqual(rows);
  });
});
