/**
 * PyYAML's `Emitter.analyze_scalar` and `choose_scalar_style`, for block context with `allow_unicode=False`.
 *
 * PyYAML walks the text once and records which styles could carry it without changing its meaning; the style
 * choice then takes the first allowed one of plain, single-quoted and double-quoted. Each of its per-character
 * rules is a local pattern (a character and its neighbours), so here every rule is one regular expression over
 * the text, which is much faster in JavaScript than a character loop. Surrogates are "special characters" (they
 * force double quotes) and never take part in the positional rules, so UTF-16 positions give the same answers as
 * Python's code-point positions.
 *
 * Only block context is modelled: with `default_flow_style=False` PyYAML emits flow style only for empty
 * collections, which hold no scalars. Literal and folded block scalars are never chosen either, because the
 * representer never asks for them.
 */

export interface ScalarAnalysis {
  readonly empty: boolean;
  readonly multiline: boolean;
  readonly allowBlockPlain: boolean;
  readonly allowSingleQuoted: boolean;
}

export type ScalarStyle = 'plain' | 'single-quoted' | 'double-quoted';

export const SPACE = 0x20;
export const NEWLINE = 0x0a;

/** Line breaks as PyYAML knows them; only '\n' is printable, the others are escaped like any non-ASCII text. */
export function isLineBreak(code: number): boolean {
  return code === NEWLINE || code === 0x85 || code === 0x2028 || code === 0x2029;
}

// PyYAML's whitespace around indicators: '\0 \t\r' and the line breaks.
const WS = '\\0 \\t\\r\\n\\x85\\u2028\\u2029';
const BREAK = '\\n\\x85\\u2028\\u2029';

// Text that a reader would take for document markers, or whose first character starts a YAML construct.
const LEADING_INDICATOR = new RegExp(`^(?:---|\\.\\.\\.|[#,\\[\\]{}&*!|>'"%@\`]|[?:-](?:[${WS}]|$))`);
// Inside the text, ': ' starts a mapping value and ' #' starts a comment.
const INNER_INDICATOR = new RegExp(`[^]:(?:[${WS}]|$)|[${WS}]#`);
const LINE_BREAK = new RegExp(`[${BREAK}]`);
const NEEDS_ESCAPE = /[^\n\x20-\x7e]/;
const EDGE_WHITESPACE = new RegExp(`^[ ${BREAK}]|[ ${BREAK}]$`);
// A space after a line break would be read back as indentation.
const BREAK_SPACE = new RegExp(`[${BREAK}] `);
// A space before a line break would be trimmed by line folding.
const SPACE_BREAK = new RegExp(` [${BREAK}]`);

const EMPTY: ScalarAnalysis = { empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };

export function analyzeScalar(text: string): ScalarAnalysis {
  if (text === '') return EMPTY;
  const multiline = LINE_BREAK.test(text);
  const needsEscape = NEEDS_ESCAPE.test(text);
  const allowSingleQuoted = !needsEscape && !BREAK_SPACE.test(text) && !SPACE_BREAK.test(text);
  const allowBlockPlain =
    allowSingleQuoted &&
    // PyYAML never writes multi-line plain scalars.
    !multiline &&
    !EDGE_WHITESPACE.test(text) &&
    !LEADING_INDICATOR.test(text) &&
    !INNER_INDICATOR.test(text);
  return { empty: false, multiline, allowBlockPlain, allowSingleQuoted };
}

/**
 * `implicitPlain` says whether the plain text would be read back with the scalar's own type (PyYAML's
 * `implicit[0]`): a string that looks like a number, bool or null may not be plain; a real number may.
 */
export function chooseScalarStyle(analysis: ScalarAnalysis, implicitPlain: boolean, simpleKey: boolean): ScalarStyle {
  if (implicitPlain && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain) {
    return 'plain';
  }
  if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) return 'single-quoted';
  return 'double-quoted';
}
