/**
 * A byte-exact reimplementation of what `yaml.dump_all(documents, sort_keys=True)` writes for JSON-like values:
 * PyYAML 6 with its defaults (width 80, indent 2, `default_flow_style=False`, `allow_unicode=False`).
 *
 * The KFP Python SDK writes every compiled pipeline this way, and kfp-ts must produce the same bytes. A generic
 * YAML library does not: PyYAML has its own rules for which strings need quotes (YAML 1.1 words such as `on` and
 * `0x1F`), for choosing single or double quotes, for folding long lines at exactly the columns it does, for
 * escaping non-ASCII text, and for spelling floats. This module keeps PyYAML's writer state (column, whether the
 * last character written was whitespace or indentation, the indent stack) and follows its emitter states, so that
 * every space and line break falls where PyYAML puts it.
 *
 * The value model is JSON's, plus bigint: objects become block mappings with keys sorted by code point, arrays
 * become block sequences (written at their parent key's column, PyYAML's "indentless" sequences), empty ones
 * become `{}` and `[]`, and object properties whose value is `undefined` are left out. JavaScript cannot tell `2`
 * from `2.0`, so the caller says, per path, which numbers PyYAML would have seen as Python floats.
 */

import { plainTextResolvesToNonString } from './yaml11-implicit-resolver';
import { analyzeScalar, chooseScalarStyle, isLineBreak, NEWLINE, SPACE, type ScalarAnalysis } from './pyyaml-scalar-analysis';
import { compareCodePoints, pythonFloatRepr } from './python-repr';

export type YamlPath = readonly (string | number)[];

export interface PyYamlEmitOptions {
  /**
   * Whether the number at `path` (keys and indices from the document root) was a Python float, printed `2.0`,
   * rather than an int, printed `2`. Asked only for integral numbers; the path array is reused after the call.
   */
  readonly isFloat: (path: YamlPath, value: number) => boolean;
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
// PyYAML counts the `!!str` tag it would need into a key's length, so keys of 123+ characters are complex keys.
const SIMPLE_KEY_LIMIT = 128;
const STR_TAG_LENGTH = '!!str'.length;

/** Stands for Python's `ch = None` past the end of the text. */
const NO_CHAR = -1;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;

const DOUBLE_QUOTED_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [DOUBLE_QUOTE, '"'],
  [BACKSLASH, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);

interface PreparedScalar {
  readonly text: string;
  readonly analysis: ScalarAnalysis;
  /** PyYAML's `implicit[0]`: the plain text would be read back with the same type. */
  readonly implicitPlain: boolean;
  /** How this scalar came out from a given emitter state, for long strings written many times. */
  emitted?: Map<number, EmittedScalar>;
}

interface EmittedScalar {
  readonly text: string;
  readonly column: number;
  readonly whitespace: boolean;
  readonly indention: boolean;
  readonly openEnded: boolean;
}

// Strings this long (commands, scripts) recur in every task of a large pipeline; their folded form
// depends only on the emitter state they start from, so it is computed once per state.
const EMISSION_CACHE_MIN_LENGTH = 64;

interface NodeContext {
  readonly root: boolean;
  readonly mapping: boolean;
  readonly simpleKey: boolean;
}

const ROOT: NodeContext = { root: true, mapping: false, simpleKey: false };
const SEQUENCE_ITEM: NodeContext = { root: false, mapping: false, simpleKey: false };
const MAPPING_VALUE: NodeContext = { root: false, mapping: true, simpleKey: false };
const SIMPLE_KEY: NodeContext = { root: false, mapping: true, simpleKey: true };

export function emitPyYamlDocuments(documents: readonly unknown[], options: PyYamlEmitOptions): string {
  const emitter = new PyYamlEmitter(options);
  documents.forEach((document, index) => emitter.emitDocument(document, index === 0));
  emitter.endStream();
  return emitter.output();
}

/** PyYAML's `represent_float`: `repr()`, plus `.0` where `repr` gives `1e+16`, which YAML 1.1 reads as a string. */
export function pyYamlFloatText(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  const text = pythonFloatRepr(value);
  return !text.includes('.') && text.includes('e') ? text.replace('e', '.0e') : text;
}

function pyYamlIntText(value: number): string {
  return Number.isSafeInteger(value) ? String(value) : BigInt(value).toString();
}

class PyYamlEmitter {
  private readonly chunks: string[] = [];
  private readonly preparedStrings = new Map<string, PreparedScalar>();
  private readonly path: (string | number)[] = [];
  private readonly indents: (number | null)[] = [];
  private indent: number | null = null;
  private column = 0;
  /** The last character written is a space or line break, so an indicator needs no separating space. */
  private whitespace = true;
  /** Only indentation has been written on the current line. */
  private indention = true;
  /** A plain root scalar could run on into the next document, so the stream must end with `...`. */
  private openEnded = false;

  constructor(private readonly options: PyYamlEmitOptions) {}

  output(): string {
    return this.chunks.join('');
  }

  emitDocument(document: unknown, first: boolean): void {
    if (!first) {
      this.writeIndent();
      this.writeIndicator('---', true);
    }
    this.emitNode(document, ROOT);
    this.writeIndent();
  }

  endStream(): void {
    if (this.openEnded) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
  }

  private emitNode(value: unknown, context: NodeContext): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.emitEmptyCollection('[', ']');
      else this.emitBlockSequence(value, context);
      return;
    }
    if (value !== null && typeof value === 'object') {
      const keys = sortedDefinedKeys(value as Record<string, unknown>);
      if (keys.length === 0) this.emitEmptyCollection('{', '}');
      else this.emitBlockMapping(value as Record<string, unknown>, keys);
      return;
    }
    this.emitScalar(this.prepareScalar(value), context);
  }

  private prepareScalar(value: unknown): PreparedScalar {
    if (typeof value === 'string') {
      // Compiled pipelines repeat the same strings (keys, commands, placeholders) in every task.
      let prepared = this.preparedStrings.get(value);
      if (!prepared) {
        prepared = { text: value, analysis: analyzeScalar(value), implicitPlain: !plainTextResolvesToNonString(value) };
        this.preparedStrings.set(value, prepared);
      }
      return prepared;
    }
    let text: string;
    if (value === null) text = 'null';
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else if (typeof value === 'bigint') text = value.toString();
    else if (typeof value === 'number') {
      const isFloat = !Number.isInteger(value) || this.options.isFloat(this.path, value);
      text = isFloat ? pyYamlFloatText(value) : pyYamlIntText(value);
    } else {
      const where = this.path.length > 0 ? ` at ${this.path.join('.')}` : '';
      throw new TypeError(`cannot write a ${typeof value} as YAML${where}`);
    }
    // Non-string scalars always resolve back to their own type, so they are plain.
    return { text, analysis: analyzeScalar(text), implicitPlain: true };
  }

  private emitEmptyCollection(open: string, close: string): void {
    this.writeIndicator(open, true, true);
    this.writeIndicator(close, false);
  }

  private emitBlockSequence(items: readonly unknown[], context: NodeContext): void {
    // A sequence that is a mapping value starts at the key's column instead of being indented below it.
    const indentless = context.mapping && !this.indention;
    this.increaseIndent(false, indentless);
    items.forEach((item, index) => {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.path.push(index);
      this.emitNode(item, SEQUENCE_ITEM);
      this.path.pop();
    });
    this.indent = this.indents.pop() ?? null;
  }

  private emitBlockMapping(mapping: Readonly<Record<string, unknown>>, keys: readonly string[]): void {
    this.increaseIndent(false, false);
    for (const key of keys) {
      this.writeIndent();
      const keyScalar = this.prepareScalar(key);
      if (isSimpleKey(keyScalar)) {
        this.emitScalar(keyScalar, SIMPLE_KEY);
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.emitScalar(keyScalar, MAPPING_VALUE);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.path.push(key);
      this.emitNode(mapping[key], MAPPING_VALUE);
      this.path.pop();
    }
    this.indent = this.indents.pop() ?? null;
  }

  private emitScalar(scalar: PreparedScalar, context: NodeContext): void {
    if (scalar.text.length < EMISSION_CACHE_MIN_LENGTH || this.column >= 4096 || (this.indent ?? 0) >= 4096) {
      this.emitScalarUncached(scalar, context);
      return;
    }
    const state =
      (this.column * 4096 + (this.indent ?? 4095)) * 64 +
      (context.root ? 1 : 0) +
      (context.mapping ? 2 : 0) +
      (context.simpleKey ? 4 : 0) +
      (this.whitespace ? 8 : 0) +
      (this.indention ? 16 : 0) +
      (this.openEnded ? 32 : 0);
    scalar.emitted ??= new Map();
    const cached = scalar.emitted.get(state);
    if (cached) {
      this.chunks.push(cached.text);
      this.column = cached.column;
      this.whitespace = cached.whitespace;
      this.indention = cached.indention;
      this.openEnded = cached.openEnded;
      return;
    }
    const first = this.chunks.length;
    this.emitScalarUncached(scalar, context);
    const text = this.chunks.splice(first).join('');
    this.chunks.push(text);
    scalar.emitted.set(state, {
      text,
      column: this.column,
      whitespace: this.whitespace,
      indention: this.indention,
      openEnded: this.openEnded,
    });
  }

  private emitScalarUncached(scalar: PreparedScalar, context: NodeContext): void {
    this.increaseIndent(true, false);
    const style = chooseScalarStyle(scalar.analysis, scalar.implicitPlain, context.simpleKey);
    // Keys are never folded: a line break inside a simple key would end it.
    const split = !context.simpleKey;
    if (style === 'plain') this.writePlain(scalar.text, split, context.root);
    else if (style === 'single-quoted') this.writeSingleQuoted(scalar.text, split);
    else this.writeDoubleQuoted(toCodePoints(scalar.text), split);
    this.indent = this.indents.pop() ?? null;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private write(data: string): void {
    this.chunks.push(data);
    this.column += data.length;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(indentation(indent - this.column));
    }
  }

  private writeLineBreak(data = '\n'): void {
    this.chunks.push(data);
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
  }

  /** Inside single quotes a lone line break would fold into a space, so each '\n' takes one more line break. */
  private writeBreakRun(text: string, start: number, end: number): void {
    if (text.charCodeAt(start) === NEWLINE) this.writeLineBreak();
    for (let i = start; i < end; i++) this.writeLineBreak(text.charAt(i));
    this.writeIndent();
  }

  /**
   * Folds only at a single space, and only once the text already reaches past column 80, so lines may run
   * longer than 80 and a run of several spaces is never a fold point. (Plain text never holds line breaks:
   * PyYAML does not choose plain style for them.)
   */
  private writePlain(text: string, split: boolean, root: boolean): void {
    if (root) this.openEnded = true;
    if (text.length === 0) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text.charCodeAt(end) : NO_CHAR;
      if (spaces) {
        if (ch !== SPACE) {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(text.slice(start, end));
          }
          start = end;
        }
      } else if (ch === NO_CHAR || ch === SPACE) {
        this.write(text.slice(start, end));
        start = end;
      }
      if (ch !== NO_CHAR) spaces = ch === SPACE;
    }
  }

  /** Same folding rule as plain, never at the first or last character; `'` doubles; '\n' becomes a blank line. */
  private writeSingleQuoted(text: string, split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text.charCodeAt(end) : NO_CHAR;
      if (spaces) {
        if (ch !== SPACE) {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== text.length) {
            this.writeIndent();
          } else {
            this.write(text.slice(start, end));
          }
          start = end;
        }
      } else if (breaks) {
        if (!isLineBreak(ch)) {
          this.writeBreakRun(text, start, end);
          start = end;
        }
      } else if ((ch === NO_CHAR || ch === SPACE || isLineBreak(ch) || ch === SINGLE_QUOTE) && start < end) {
        this.write(text.slice(start, end));
        start = end;
      }
      if (ch === SINGLE_QUOTE) {
        this.write("''");
        start = end + 1;
      }
      if (ch !== NO_CHAR) {
        spaces = ch === SPACE;
        breaks = isLineBreak(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  /**
   * Escapes everything outside printable ASCII. Folds before a space, or right after an escape, once the line
   * would pass column 80; the line ends with `\` and a continuation that starts with a space starts with `\ `.
   */
  private writeDoubleQuoted(chars: CodePoints, split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? codeAt(chars, end) : NO_CHAR;
      if (ch === NO_CHAR || needsDoubleQuotedEscape(ch)) {
        if (start < end) {
          this.write(sliceChars(chars, start, end));
          start = end;
        }
        if (ch !== NO_CHAR) {
          this.write(`\\${DOUBLE_QUOTED_ESCAPES.get(ch) ?? numericEscape(ch)}`);
          start = end + 1;
        }
      }
      if (end > 0 && end < chars.length - 1 && (ch === SPACE || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        const data = `${start < end ? sliceChars(chars, start, end) : ''}\\`;
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (codeAt(chars, start) === SPACE) this.write('\\');
      }
    }
    this.writeIndicator('"', false);
  }
}

/** PyYAML sorts keys as Python compares strings, by code point. */
function sortedDefinedKeys(mapping: Readonly<Record<string, unknown>>): string[] {
  const keys: string[] = [];
  let hasSurrogates = false;
  for (const key in mapping) {
    if (!Object.hasOwn(mapping, key) || mapping[key] === undefined) continue;
    keys.push(key);
    if (!hasSurrogates && SURROGATE.test(key)) hasSurrogates = true;
  }
  // Without surrogates, UTF-16 order (the default sort) is code point order.
  return hasSurrogates ? keys.sort(compareCodePoints) : keys.sort();
}

const SPACE_RUNS: string[] = [];

function indentation(count: number): string {
  return (SPACE_RUNS[count] ??= ' '.repeat(count));
}

function isSimpleKey(key: PreparedScalar): boolean {
  return STR_TAG_LENGTH + codePointLength(key.text) < SIMPLE_KEY_LIMIT && !key.analysis.empty && !key.analysis.multiline;
}

function needsDoubleQuotedEscape(code: number): boolean {
  return code === DOUBLE_QUOTE || code === BACKSLASH || code < 0x20 || code > 0x7e;
}

function numericEscape(code: number): string {
  const digits = code.toString(16).toUpperCase();
  if (code <= 0xff) return `x${digits.padStart(2, '0')}`;
  if (code <= 0xffff) return `u${digits.padStart(4, '0')}`;
  return `U${digits.padStart(8, '0')}`;
}

/**
 * Python indexes text by code point. Plain and single-quoted text is printable ASCII, but double-quoted text may
 * hold characters outside the BMP, whose two UTF-16 units must count as one character: positions decide folding.
 * Text without surrogates is its own code point sequence.
 */
type CodePoints = string | readonly number[];

const SURROGATE = /[\uD800-\uDFFF]/;

function toCodePoints(text: string): CodePoints {
  return SURROGATE.test(text) ? Array.from(text, (ch) => ch.codePointAt(0) as number) : text;
}

function codePointLength(text: string): number {
  return SURROGATE.test(text) ? Array.from(text).length : text.length;
}

function codeAt(chars: CodePoints, index: number): number {
  return typeof chars === 'string' ? chars.charCodeAt(index) : (chars[index] as number);
}

/** A run of printable ASCII, as double-quoted text writes everything else as escapes. */
function sliceChars(chars: CodePoints, start: number, end: number): string {
  if (typeof chars === 'string') return chars.slice(start, end);
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(chars[i] as number);
  return text;
}
