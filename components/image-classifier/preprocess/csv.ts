/**
 * CSV as RFC 4180 writes it: comma separated, fields optionally in double quotes, `""` for a quote
 * inside a quoted field, quoted fields may hold commas and line breaks, CRLF or LF line ends.
 * A UTF-8 byte-order mark (Excel writes one) is ignored.
 */
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';

export class CsvSyntaxError extends KfpTsError {
  override readonly name = 'CsvSyntaxError';
}

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line on which the record starts, for error messages that point into the file. */
  readonly line: number;
}

/** Parses CSV text into records; blank lines are skipped. */
export function parseCsv(text: string, source = 'CSV'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quotedFieldEnded = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endField = () => {
    fields.push(field);
    field = '';
    quotedFieldEnded = false;
  };
  const endRecord = () => {
    endField();
    // A blank line parses as one empty field: skip it rather than report an empty row.
    if (fields.length > 1 || fields[0] !== '') records.push({ fields, line: recordLine });
    fields = [];
  };

  for (; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
          quotedFieldEnded = true;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (c === '"' && field === '' && !quotedFieldEnded) {
      inQuotes = true;
    } else if (quotedFieldEnded) {
      throw new CsvSyntaxError(
        `${source} line ${line}: text after a closing quote; write a quote inside a quoted field as "" (e.g. "a ""b"" c").`,
      );
    } else {
      field += c;
    }
  }
  if (inQuotes) throw new CsvSyntaxError(`${source} line ${recordLine}: a quoted field is never closed; add the closing double quote.`);
  if (field !== '' || fields.length > 0 || quotedFieldEnded) endRecord();
  return records;
}

/** One CSV line (no line end); fields with commas, quotes or line breaks are quoted. */
export function formatCsvRow(fields: readonly string[]): string {
  return fields.map((value) => (/[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',');
}
