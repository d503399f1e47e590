import { CsvSyntaxError, formatCsvRow, parseCsv } from '../../../../components/image-classifier/preprocess/csv';

const fields = (text: string) => parseCsv(text).map((record) => record.fields);

describe('parseCsv', () => {
  it('splits plain fields and keeps empty ones', () => {
    expect(fields('image,label,split\na.png,cat,\nb.png,,val\n')).toEqual([
      ['image', 'label', 'split'],
      ['a.png', 'cat', ''],
      ['b.png', '', 'val'],
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(fields('"a, b.png","say ""hi""","line\nbreak"\n')).toEqual([['a, b.png', 'say "hi"', 'line\nbreak']]);
  });

  it('accepts CRLF and a missing final line end, skips blank lines and a byte-order mark', () => {
    expect(fields('\ufeffimage,label\r\n\r\na.png,cat\r\nb.png,dog')).toEqual([
      ['image', 'label'],
      ['a.png', 'cat'],
      ['b.png', 'dog'],
    ]);
  });

  it('numbers records by the line they start on', () => {
    expect(parseCsv('h\n"multi\nline"\n\nlast\n').map((record) => record.line)).toEqual([1, 2, 5]);
  });

  it('rejects an unclosed quote and text after a closing quote, naming the line', () => {
    expect(() => parseCsv('a\n"open,b\n', 'm.csv')).toThrow(
      new CsvSyntaxError('m.csv line 2: a quoted field is never closed; add the closing double quote.'),
    );
    expect(() => parseCsv('a\n"x"y,b\n', 'm.csv')).toThrow(/m\.csv line 2: text after a closing quote/);
  });
});

describe('formatCsvRow', () => {
  it('quotes only what needs quoting, and parses back to the same fields', () => {
    const row = ['plain', 'with, comma', 'with "quote"', 'two\nlines', ' padded', ''];
    expect(formatCsvRow(row)).toBe('plain,"with, comma","with ""quote""","two\nlines"," padded",');
    expect(fields(formatCsvRow(row))).toEqual([row]);
  });
});
