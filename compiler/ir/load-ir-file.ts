import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { KfpTsError } from '../errors/kfp-ts-error';
import { describeValue } from '../util/describe-value';
import {
  DOCUMENT_LIMITS,
  checkDocumentLimits,
  fileTooLargeMessage,
  formatDocumentPath,
  jsonDepthExceededAt,
  readTextWithin,
} from '../util/document-limits';

/** A compiled pipeline file: the PipelineSpec document and, for YAML, the optional second `platforms:` document. */
export interface LoadedIr {
  readonly spec: unknown;
  readonly platformSpec?: unknown;
}

/** Why an IR file could not be read as a pipeline. `line`/`column` (1-based) are set for syntax errors. */
export class IrFileError extends KfpTsError {
  override readonly name = 'IrFileError';

  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${line === undefined ? file : `${file}:${line}:${column ?? 1}`}: ${reason}`);
  }
}

const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

/**
 * Reads a compiled pipeline (.json, .yaml or .yml). Only the file's form is checked here: that it parses, holds a
 * pipeline (not a component or a job) and at most one platform document; `validatePipelineSpec` checks the content.
 */
export function loadIrFile(file: string): LoadedIr {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.json' && !YAML_EXTENSIONS.has(extension)) {
    throw new IrFileError(file, `unsupported file type '${extension || '(none)'}': expected a .json, .yaml or .yml file`);
  }
  const text = readText(file).replace(/^\uFEFF/, '');
  const documents = extension === '.json' ? parseJson(file, text) : parseYaml(file, text);
  if (documents.length === 0) throw new IrFileError(file, 'file is empty: expected a compiled PipelineSpec');
  if (documents.length > 2) {
    throw new IrFileError(
      file,
      `has ${documents.length} YAML documents; expected the PipelineSpec, optionally followed by one platform document ('platforms: …')`,
    );
  }
  // Before anything else walks the documents: an alias bomb or cycle would make every later reader blow up or hang.
  for (const document of documents) {
    const exceeded = checkDocumentLimits(document);
    if (exceeded) throw new IrFileError(file, `${formatDocumentPath(exceeded.path)}: ${exceeded.problem} — ${exceeded.fix}`);
  }
  const [spec, platformSpec] = documents;
  checkLooksLikePipeline(file, spec);
  if (documents.length === 1) return { spec };
  checkLooksLikePlatformSpec(file, platformSpec);
  return { spec, platformSpec };
}

function readText(file: string): string {
  try {
    const text = readTextWithin(file);
    if (text === undefined) throw new IrFileError(file, `${fileTooLargeMessage()}: expected a compiled PipelineSpec`);
    return text;
  } catch (error) {
    if (error instanceof IrFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IrFileError(file, 'file not found');
    if (code === 'EISDIR') throw new IrFileError(file, 'is a directory, not an IR file');
    if (code === 'EACCES' || code === 'EPERM') throw new IrFileError(file, 'permission denied');
    throw new IrFileError(file, `cannot read the file: ${(error as Error).message}`);
  }
}

function parseYaml(file: string, text: string): unknown[] {
  let documents: unknown[];
  try {
    // JSON_SCHEMA: no timestamps, binaries or merge keys, so '2024-01-01' stays the string the compiler wrote.
    documents = yaml.loadAll(text, undefined, { schema: yaml.JSON_SCHEMA, filename: file });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      throw new IrFileError(file, `invalid YAML: ${error.reason}`, error.mark.line + 1, error.mark.column + 1);
    }
    throw error;
  }
  // A trailing '---' (or a comment-only file) yields null documents; they carry nothing, so they are not an error.
  while (documents.length > 0 && documents[documents.length - 1] == null) documents.pop();
  return documents;
}

function parseJson(file: string, text: string): unknown[] {
  if (text.trim() === '') return [];
  const tooDeepAt = jsonDepthExceededAt(text);
  if (tooDeepAt !== undefined) {
    const { line, column } = lineAndColumn(text, tooDeepAt);
    throw new IrFileError(
      file,
      `nests deeper than ${DOCUMENT_LIMITS.maxDepth} levels — flatten the value; no pipeline field nests this deep`,
      line,
      column,
    );
  }
  try {
    return [JSON.parse(text)];
  } catch (error) {
    const message = (error as Error).message;
    const offset = firstJsonErrorOffset(text) ?? Number(/at position (\d+)/.exec(message)?.[1] ?? NaN);
    const reason = message.replace(/\s*in JSON at position \d+.*$/, '').replace(/, .*is not valid JSON$/s, ''); // drops V8's quote of the text around the error
    if (Number.isNaN(offset)) throw new IrFileError(file, `invalid JSON: ${reason}`);
    const { line, column } = lineAndColumn(text, offset);
    throw new IrFileError(file, `invalid JSON: ${reason}`, line, column);
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Offset of the first JSON syntax error, or undefined if none is found. V8 leaves the position out of some messages
 * ("Unexpected token ']', … is not valid JSON"), and a file:line:column is the point of the error report.
 */
function firstJsonErrorOffset(text: string): number | undefined {
  let at = 0;
  const fail = (): never => {
    throw new JsonSyntaxAt(at);
  };
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const expect = (char: string): void => {
    skipSpace();
    if (text[at] !== char) fail();
    at++;
  };
  const string = (): void => {
    expect('"');
    while (at < text.length) {
      const char = text[at]!;
      if (char === '"') {
        at++;
        return;
      }
      if (char < ' ') fail();
      at += char === '\\' ? 2 : 1;
    }
    fail();
  };
  const members = (close: string, member: () => void): void => {
    at++;
    skipSpace();
    if (text[at] === close) {
      at++;
      return;
    }
    for (;;) {
      member();
      skipSpace();
      if (text[at] === close) {
        at++;
        return;
      }
      expect(',');
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      members('}', () => {
        string();
        expect(':');
        value();
      });
      return;
    }
    if (char === '[') {
      members(']', value);
      return;
    }
    if (char === '"') {
      string();
      return;
    }
    const number = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
    number.lastIndex = at;
    if (number.test(text)) {
      at = number.lastIndex;
      return;
    }
    const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, at));
    if (word === undefined) throw new JsonSyntaxAt(at);
    at += word.length;
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail();
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxAt) return Math.min(error.offset, text.length);
    throw error;
  }
}

class JsonSyntaxAt {
  constructor(readonly offset: number) {}
}

function checkLooksLikePipeline(file: string, document: unknown): void {
  if (!isMapping(document)) {
    throw new IrFileError(file, `the document is ${describeValue(document)}, not a mapping: expected a compiled PipelineSpec`);
  }
  if ('pipelineInfo' in document || 'root' in document) return;
  const present = (keys: readonly string[]): string | undefined => keys.find((key) => key in document);
  const componentKey = present(['executorLabel', 'inputDefinitions', 'outputDefinitions', 'dag']);
  if (componentKey) {
    throw new IrFileError(
      file,
      `this looks like a single component spec (top-level '${componentKey}'), not a pipeline: ` +
        "kfp-ts validate wants a compiled pipeline with 'pipelineInfo' and 'root' (compile the component as a pipeline)",
    );
  }
  const authoredComponentKey = present(['implementation']);
  if (authoredComponentKey) {
    throw new IrFileError(
      file,
      "this looks like a component definition (top-level 'implementation'), not a compiled pipeline: " +
        "kfp-ts validate wants a compiled pipeline with 'pipelineInfo' and 'root'",
    );
  }
  if ('pipelineSpec' in document) {
    throw new IrFileError(
      file,
      "this looks like a PipelineJob (top-level 'pipelineSpec'), not a PipelineSpec: validate the compiled pipeline file, or the value of 'pipelineSpec' saved on its own",
    );
  }
  const keys = Object.keys(document);
  const found = keys.length === 0 ? 'it is an empty mapping' : `top-level keys: ${keys.slice(0, 8).join(', ')}`;
  throw new IrFileError(file, `not a compiled pipeline: no 'pipelineInfo' or 'root' (${found})`);
}

function checkLooksLikePlatformSpec(file: string, document: unknown): void {
  const expected = "the second YAML document must be the platform config, a mapping with the single key 'platforms'";
  if (!isMapping(document)) throw new IrFileError(file, `${expected} (it is ${describeValue(document)})`);
  const keys = Object.keys(document);
  if (keys.length !== 1 || keys[0] !== 'platforms') {
    throw new IrFileError(file, `${expected} (its keys: ${keys.join(', ') || 'none'})`);
  }
  const platforms = document['platforms'];
  if (!isMapping(platforms))
    throw new IrFileError(file, `'platforms' must be a mapping of platform name to config (it is ${describeValue(platforms)})`);
  for (const [name, config] of Object.entries(platforms)) {
    if (!isMapping(config)) throw new IrFileError(file, `platforms.${name} must be a mapping (it is ${describeValue(config)})`);
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
