// Tables for a terminal of a given width (the history commands fit 100 columns): cells may hold
// several lines (one value per line, which is how long lists wrap), and a column too wide for the
// width is narrowed, its lines cut with an ellipsis, widest column first.

export const TERMINAL_WIDTH = 100;

const gap = '  ';
/** What separates the items of a wrapped cell. */
export const ITEM_SEPARATOR = '  ';
const ellipsis = '…';

/** Display length, counting code points (an ellipsis or an arrow is one column). */
export function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to `width` columns, its end replaced by an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  return (
    Array.from(text)
      .slice(0, width - 1)
      .join('') + ellipsis
  );
}

/** `text` cut to `width` columns in the middle (for paths, whose two ends both matter). */
export function truncateMiddle(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return chars.slice(0, head).join('') + ellipsis + (tail > 0 ? chars.slice(chars.length - tail).join('') : '');
}

export interface TableOptions {
  /** @default TERMINAL_WIDTH */
  readonly width?: number;
  /** A column is never narrowed below this (or its widest line, if shorter). @default 8 */
  readonly minColumnWidth?: number;
  /** Indent every line by this. @default '' */
  readonly indent?: string;
  /** Columns never narrowed (ids, states, times: a cut one is useless). */
  readonly fixed?: readonly number[];
  /** Columns whose cells are wrapped between items (ITEM_SEPARATOR) to the column's width rather than cut. */
  readonly wrap?: readonly number[];
  /** No column narrower than its header (the first row), so every header stays whole. */
  readonly wholeHeaders?: boolean;
}

/**
 * The rows (the first is the header) laid out in columns within the width; undefined when even
 * the narrowest columns cannot fit, so the caller can choose another layout.
 */
export function fitTable(rows: readonly (readonly string[])[], options: TableOptions = {}): string | undefined {
  const width = options.width ?? TERMINAL_WIDTH;
  const indent = options.indent ?? '';
  const minimum = options.minColumnWidth ?? 8;
  const columns = rows[0]?.length ?? 0;
  if (columns === 0) return '';
  const cellLines = rows.map((row) => row.map((cell) => cell.split('\n')));
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(...cellLines.map((row) => Math.max(...(row[i] ?? ['']).map(textWidth)))),
  );
  const floors = widths.map((w, i) =>
    options.fixed?.includes(i) ? w : Math.max(Math.min(w, minimum), options.wholeHeaders ? textWidth(rows[0]![i] ?? '') : 0),
  );
  const available = width - textWidth(indent) - gap.length * (columns - 1);
  let excess = widths.reduce((a, b) => a + b, 0) - available;
  if (floors.reduce((a, b) => a + b, 0) > available) return undefined;
  // Narrow the widest column one step at a time: long values give way before short ones.
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < columns; i++) if (widths[i]! > floors[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    widths[widest]!--;
    excess--;
  }
  for (const column of options.wrap ?? []) {
    for (const row of cellLines) if (row[column]) row[column] = row[column]!.flatMap((line) => wrapWords(line, widths[column]!));
  }
  const lines: string[] = [];
  for (const row of cellLines) {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      const text = row.map((cell, i) => pad(truncate(cell[line] ?? '', widths[i]!), widths[i]!)).join(gap);
      lines.push((indent + text).trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

/**
 * A line of items separated by two spaces broken between items into lines of at most `width`
 * columns (an item longer than that is cut later). Items may hold single spaces: `note=run two`.
 */
function wrapWords(line: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const item of line.split(ITEM_SEPARATOR)) {
    if (current && textWidth(current) + ITEM_SEPARATOR.length + textWidth(item) > width) {
      out.push(current);
      current = item;
    } else {
      current = current ? `${current}${ITEM_SEPARATOR}${item}` : item;
    }
  }
  out.push(current);
  return out;
}
