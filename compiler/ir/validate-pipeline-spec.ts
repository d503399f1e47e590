import type { ErrorObject } from 'ajv';
import { checkReferences, type Finding, type PathSegment } from './ir-references';
import { NameSuggester, onlyContaining, quoteName, shortName } from './name-suggestions';
import { schemaValidator } from './schema-validator';
import { KfpTsError } from '../errors/kfp-ts-error';

/** One thing wrong with an IR document. `path` is a readable JSON path (`root.dag.tasks['train-model'].componentRef.name`); '' is the document itself. */
export interface IrProblem {
  readonly path: string;
  readonly message: string;
}

/** The only PipelineSpec schema version kfp-ts emits and checks. */
export const SUPPORTED_SCHEMA_VERSION = '2.1.0';

/** Thrown by {@link assertValidPipelineSpec}; carries every problem, not just the first. */
export class InvalidIrError extends KfpTsError {
  override readonly name = 'InvalidIrError';

  constructor(
    readonly what: string,
    readonly problems: readonly IrProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${p.path === '' ? '(document)' : p.path}: ${p.message}`);
    super(`${what} is not a valid PipelineSpec (${count}):\n${lines.join('\n')}`);
  }
}

/** Checks `doc` (a parsed PipelineSpec in protobuf JSON form) against the schema, then its internal references. Returns [] when valid. */
export function validatePipelineSpec(doc: unknown): IrProblem[] {
  const validate = schemaValidator();
  // Reference checks rely on the shape the schema guarantees, so they run only once it passes.
  const findings = validate(doc)
    ? checkReferences(doc as Parameters<typeof checkReferences>[0], SUPPORTED_SCHEMA_VERSION)
    : describeSchemaErrors(doc, validate.errors ?? []);
  return inDocumentOrder(doc, findings).map((f) => ({ path: formatPath(f.at), message: f.message }));
}

export function assertValidPipelineSpec(doc: unknown, what: string): void {
  const problems = validatePipelineSpec(doc);
  if (problems.length > 0) throw new InvalidIrError(what, problems);
}

// ---------------------------------------------------------------------------------------------------------------
// Paths

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `['${shortName(segment).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
  }
  return out;
}

/** Sorts findings the way a reader meets them in the file (ajv reports in schema order); ties keep their order. */
function inDocumentOrder(doc: unknown, findings: readonly Finding[]): Finding[] {
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
function pointerSegments(doc: unknown, pointer: string): PathSegment[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Schema errors to plain English

interface SchemaNode {
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Record<string, unknown>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly SchemaNode[];
}

function describeSchemaErrors(doc: unknown, errors: readonly ErrorObject[]): Finding[] {
  const relevant = withoutNoise(errors);
  const names = new NameSuggester();
  const unknownFieldsAt = new Map<string, string[]>();
  for (const error of relevant) {
    if (error.keyword !== 'additionalProperties') continue;
    const names = unknownFieldsAt.get(error.instancePath) ?? [];
    names.push(String(error.params['additionalProperty']));
    unknownFieldsAt.set(error.instancePath, names);
  }
  // A misspelt field also shows up as a missing one; the unknown-field message already names the intended field.
  const explainedByTypo = (instancePath: string, missing: readonly string[]): boolean =>
    (unknownFieldsAt.get(instancePath) ?? []).some((unknown) => missing.some((name) => names.isLikelyMeant(unknown, name)));

  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const error of relevant) {
    const finding = describeError(error, pointerSegments(doc, error.instancePath), explainedByTypo, names);
    if (!finding) continue;
    const key = `${formatPath(finding.at)}\u0000${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

/**
 * Drops errors that only restate another: the per-branch `required` failures under an anyOf (the anyOf error says
 * it once), and everything else reported at a value whose type is already wrong.
 */
function withoutNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath));
  const wrongTypeAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  // A set lookup per 'anyOf' segment of the error's own schema path: comparing every error with every anyOf error
  // is quadratic, and a large wrong document has tens of thousands of each.
  const underReportedAnyOf = (schemaPath: string): boolean => {
    for (let at = schemaPath.indexOf('/anyOf/'); at >= 0; at = schemaPath.indexOf('/anyOf/', at + 1)) {
      if (anyOfPaths.has(schemaPath.slice(0, at + '/anyOf'.length))) return true;
    }
    return false;
  };
  return errors.filter((error) => {
    if (underReportedAnyOf(error.schemaPath)) return false;
    if (wrongTypeAt.has(error.instancePath) && error.keyword !== 'type') return false;
    return true;
  });
}

function describeError(
  error: ErrorObject,
  at: readonly PathSegment[],
  explainedByTypo: (instancePath: string, missing: readonly string[]) => boolean,
  names: NameSuggester,
): Finding | undefined {
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(error.params['additionalProperty']);
      const known = Object.keys(parent.properties ?? {}).sort();
      return { at: [...at, field], message: unknownFieldMessage(field, known, names) };
    }
    case 'required': {
      const field = String(error.params['missingProperty']);
      if (explainedByTypo(error.instancePath, [field])) return undefined;
      return { at, message: `missing required field '${field}'` };
    }
    case 'anyOf': {
      const options = (parent.anyOf ?? []).flatMap((branch) => branch.required ?? []);
      if (explainedByTypo(error.instancePath, options)) return undefined;
      return { at, message: `must set one of ${quotedList(options, 'or')}${oneofSuffix(parent)}` };
    }
    case 'not': {
      const members = uniqueRequiredNames(error.schema as SchemaNode);
      const present = members.filter((name) => isRecord(error.data) && Object.hasOwn(error.data, name));
      return {
        at,
        message: `${quotedList(present, 'and')} are alternatives${oneofSuffix(parent)}; set only one of them`,
      };
    }
    case 'type': {
      const expected = parent.description ?? expectedTypes(error.params['type']);
      return { at, message: `must be ${expected} (got ${describeValue(error.data)})` };
    }
    case 'pattern':
    case 'minimum':
    case 'maximum': {
      const expected = parent.description ?? `a value matching ${String(error.schema)}`;
      return { at, message: `must be ${expected} (got ${describeValue(error.data)})` };
    }
    case 'enum':
      return { at, message: enumMessage(error.schema as readonly unknown[], error.data, names) };
    case 'minLength':
      return { at, message: 'must not be an empty string' };
    case 'minItems':
      return { at, message: 'must not be an empty list' };
    default:
      return { at, message: error.message ?? `fails the '${error.keyword}' rule` };
  }
}

function unknownFieldMessage(field: string, known: readonly string[], names: NameSuggester): string {
  const camel = field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  if (camel !== field && known.includes(camel)) {
    return (
      `unknown field '${field}': write the lowerCamelCase name '${camel}' ` +
      `(kfp-ts reads protobuf JSON names only; snake_case proto names are not accepted)`
    );
  }
  const list = known.length > 0 ? `known fields: ${known.join(', ')}` : 'this message has no fields';
  const meant = names.closestMatch(field, known);
  const quoted = quoteName(field);
  return meant ? `unknown field ${quoted} (a typo of '${meant}'? ${list})` : `unknown field ${quoted} (${list})`;
}

function enumMessage(allowed: readonly unknown[], actual: unknown, suggester: NameSuggester): string {
  const names = allowed.map(String);
  const meant = typeof actual === 'string' ? suggester.closestMatch(actual, names) ?? onlyContaining(actual, names) : undefined;
  const hint = meant ? `; did you mean '${meant}'?` : '';
  return `must be one of ${names.join(', ')} (got ${describeValue(actual)}${hint})`;
}

function oneofSuffix(group: SchemaNode): string {
  const name = /^oneof (\S+)$/.exec(group.title ?? '')?.[1];
  return name ? ` (protobuf oneof '${name}')` : '';
}

function uniqueRequiredNames(schema: SchemaNode): string[] {
  const names = [...(schema.required ?? []), ...(schema.anyOf ?? []).flatMap((branch) => branch.required ?? [])];
  return [...new Set(names)];
}

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

function expectedTypes(types: unknown): string {
  const list = Array.isArray(types) ? types.map(String) : String(types).split(',');
  return list.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `${typeof value} ${String(value)}`;
}

function quotedList(names: readonly string[], conjunction: 'and' | 'or'): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** The value of an own property: a path segment such as 'constructor' must not find Object.prototype's member. */
function ownValue(node: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
