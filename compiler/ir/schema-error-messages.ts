/**
 * ajv's errors for a PipelineSpec document in plain English: an unknown field names the known ones
 * (and the lowerCamelCase form of a snake_case name), a wrong enum value suggests the likely one, a
 * protobuf oneof is named as such, and errors that only restate another are dropped.
 */
import type { ErrorObject } from 'ajv';
import { describeValue } from '../util/describe-value';
import { formatPath, isRecord, pointerSegments, type Finding, type PathSegment } from './ir-paths';
import { NameSuggester, onlyContaining, quoteName } from './name-suggestions';

interface SchemaNode {
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Record<string, unknown>;
  readonly required?: readonly string[];
  readonly anyOf?: readonly SchemaNode[];
}

/** ajv's errors for `doc` as findings in plain English, each said once. */
export function describeSchemaErrors(doc: unknown, errors: readonly ErrorObject[]): Finding[] {
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
  const meant = typeof actual === 'string' ? (suggester.closestMatch(actual, names) ?? onlyContaining(actual, names)) : undefined;
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

function quotedList(names: readonly string[], conjunction: 'and' | 'or'): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}
