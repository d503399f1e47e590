/**
 * Positions in an IR document: the path segments a problem is found at, their readable form
 * (`root.dag.tasks['train-model'].componentRef.name`), ajv's JSON pointers turned into segments, and
 * the order in which a reader meets problems in the file.
 */
import { shortName } from './name-suggestions';

export type PathSegment = string | number;

/** A problem before its path is formatted: the segments also give its position in the document. */
export interface Finding {
  readonly at: readonly PathSegment[];
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `['${shortName(segment).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** Sorts findings the way a reader meets them in the file (ajv reports in schema order); ties keep their order. */
export function inDocumentOrder(doc: unknown, findings: readonly Finding[]): Finding[] {
  // Each mapping's key positions, computed once: thousands of findings in one large mapping must not each scan its keys.
  const keyIndexes = new WeakMap<object, Map<string, number>>();
  const indexOfKey = (node: Record<string, unknown>, key: string): number => {
    let indexes = keyIndexes.get(node);
    if (indexes === undefined) {
      indexes = new Map(Object.keys(node).map((name, index) => [name, index]));
      keyIndexes.set(node, indexes);
    }
    return indexes.get(key) ?? Number.MAX_SAFE_INTEGER;
  };
  const position = (at: readonly PathSegment[]): number[] => {
    const indexes: number[] = [];
    let node: unknown = doc;
    for (const segment of at) {
      if (Array.isArray(node)) {
        indexes.push(Number(segment));
        node = node[Number(segment)];
      } else if (isRecord(node)) {
        indexes.push(indexOfKey(node, String(segment)));
        node = ownValue(node, String(segment));
      }
    }
    return indexes;
  };
  const keyed = findings.map((finding) => ({ finding, key: position(finding.at) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) {
      if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    }
    return a.key.length - b.key.length;
  });
  return keyed.map((k) => k.finding);
}

/** JSON pointer (ajv's instancePath) to segments; array indexes become numbers so they print as `[0]`. */
export function pointerSegments(doc: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      segments.push(Number(key));
      node = node[Number(key)];
    } else {
      segments.push(key);
      node = isRecord(node) ? ownValue(node, key) : undefined;
    }
  }
  return segments;
}

/** The value of an own property: a path segment such as 'constructor' must not find Object.prototype's member. */
function ownValue(node: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
