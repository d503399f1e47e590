import * as fs from 'node:fs';

/**
 * Bounds on the IR and component files kfp-ts reads. A YAML alias is a reference, so a few hundred
 * bytes of anchors (`&a [*b, *b, …]`) stand for billions of values once anything copies or
 * serializes the document (the runner writes each task's inputs as JSON); a cyclic alias
 * (`&a [*a]`) never ends. Every loader measures the parsed document against these bounds before
 * anything else reads it, and refuses a file larger than any real pipeline before reading it whole.
 */
export const DOCUMENT_LIMITS = {
  /** The largest file read: Vertex AI caps a whole job request at 10 MiB, so a real IR is far smaller. */
  maxFileBytes: 32 * 1024 * 1024,
  /**
   * Values plus characters of keys and strings, with every alias expanded. Without aliases a
   * document is never larger than its text (each value or character takes at least one byte), so
   * only an alias can reach this.
   */
  maxExpandedSize: 32 * 1024 * 1024,
  /** Mappings and lists reached again through an alias. */
  maxAliases: 10_000,
  /** Nesting depth; js-yaml stops YAML at the same depth, and JSON must not exhaust a recursive reader's stack. */
  maxDepth: 100,
} as const;

/** What makes a document unacceptable, and where (the keys from the document's root). */
export interface DocumentLimitProblem {
  readonly problem: string;
  readonly fix: string;
  readonly path: readonly (string | number)[];
  /** The mapping or list at `path`, so a YAML reader can name its line. */
  readonly node?: object;
}

/**
 * Reads a text file of at most `maxBytes` bytes. Reads in chunks up to the limit rather than trusting
 * the file's size, so a device or a growing file (`/dev/zero`, a pipe) cannot make the read unbounded.
 * Returns undefined when the file is larger; open and read errors propagate as Node's errors.
 */
export function readTextWithin(file: string, maxBytes: number = DOCUMENT_LIMITS.maxFileBytes): string | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) return undefined;
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The message for a file over {@link DOCUMENT_LIMITS.maxFileBytes}. */
export function fileTooLargeMessage(maxBytes: number = DOCUMENT_LIMITS.maxFileBytes): string {
  return `is larger than ${Math.round(maxBytes / (1024 * 1024))} MiB, far beyond any compiled pipeline or component (Vertex AI caps a job request at 10 MiB)`;
}

/**
 * Measures a parsed document (any JSON value, as js-yaml or JSON.parse built it) against
 * {@link DOCUMENT_LIMITS}. Shared mappings and lists (aliases) are measured once and their size
 * remembered, so the walk is linear in the parsed values however large the expansion is.
 */
export function checkDocumentLimits(document: unknown, limits: typeof DOCUMENT_LIMITS = DOCUMENT_LIMITS): DocumentLimitProblem | undefined {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const path: (string | number)[] = [];
  let aliases = 0;

  const fail = (problem: string, fix: string, node?: object): never => {
    throw new LimitExceeded({ problem, fix, path: [...path], ...(node ? { node } : {}) });
  };
  const sizeOf = (value: unknown, depth: number): number => {
    if (typeof value === 'string') return value.length;
    if (typeof value !== 'object' || value === null) return 1;
    const known = sizes.get(value);
    if (known !== undefined) {
      if (++aliases > limits.maxAliases) {
        fail(
          `reuses mappings or lists through YAML aliases more than ${limits.maxAliases} times`,
          'write the values out instead of aliasing them (*name)',
          value,
        );
      }
      return known;
    }
    if (open.has(value)) {
      fail(
        'holds a YAML alias to a mapping or list that contains the alias (a cycle), which never ends when expanded',
        'replace the alias (*name) inside the anchored node (&name) by the value',
        value,
      );
    }
    if (depth > limits.maxDepth)
      fail(`nests deeper than ${limits.maxDepth} levels`, 'flatten the value; no pipeline field nests this deep', value);
    open.add(value);
    let size = 1;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        size += sizeOf(value[index], depth + 1);
        path.pop();
      }
    } else {
      for (const key of Object.keys(value)) {
        path.push(key);
        size += key.length + sizeOf((value as Record<string, unknown>)[key], depth + 1);
        path.pop();
      }
    }
    open.delete(value);
    if (size > limits.maxExpandedSize) {
      fail(
        `expands through YAML aliases to more than ${limits.maxExpandedSize} values and characters (an alias bomb?)`,
        'write the values out instead of aliasing them (*name), or pass large data as an artifact',
        value,
      );
    }
    sizes.set(value, size);
    return size;
  };

  try {
    sizeOf(document, 0);
    return undefined;
  } catch (error) {
    if (error instanceof LimitExceeded) return error.found;
    throw error;
  }
}

class LimitExceeded {
  constructor(readonly found: DocumentLimitProblem) {}
}

/**
 * The offset in JSON text where nesting first goes deeper than `maxDepth`, or undefined. A linear scan
 * run before JSON.parse, whose time grows much faster than the text on deeply nested input (a 9 MB
 * file of nested lists takes it seconds).
 */
export function jsonDepthExceededAt(text: string, maxDepth: number = DOCUMENT_LIMITS.maxDepth): number | undefined {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === 0x5c /* \ */) at++;
      else if (code === 0x22 /* " */) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > maxDepth + 1) return at;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) {
      depth--;
    }
  }
  return undefined;
}

/** `a.b[0]['c d']`: a document path for messages. */
export function formatDocumentPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `['${segment.length > 60 ? `${segment.slice(0, 60)}…` : segment}']`;
  }
  return out === '' ? '(document)' : out;
}
