// Property values and the `*Property` columns MLMD stores them in. MLMD reads a row by taking the first
// non-NULL of int → double → string → proto → bool, so every row written here has exactly one non-NULL
// value column (byte_value is unused in v10).
import { decodeStructProperty, encodeStructProperty, isStructObject, isStructProperty } from './struct-encoding';

export type PropertyValue = { int: number } | { double: number } | { string: string } | { struct: unknown } | { bool: boolean };

export type Properties = Record<string, PropertyValue>;

/** Sets an own data property, so that a name like "__proto__" stays a property instead of replacing the prototype. */
export function setOwn<T>(target: Record<string, T>, name: string, value: NoInfer<T>): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** The value columns of one ArtifactProperty / ExecutionProperty / ContextProperty row. */
export interface PropertyColumns {
  int_value: number | null;
  double_value: number | null;
  string_value: string | null;
  proto_value: Buffer | string | null;
  bool_value: number | null;
}

/**
 * KFP's mapping of RuntimeArtifact metadata to MLMD custom properties (backend/src/v2/metadata/converter.go):
 * string → string, number → double, bool → int 1/0 (not bool_value), list → struct {"list": [...]},
 * object → struct {"struct": {...}}. KFP rejects null; here null and undefined members are skipped.
 */
export function metadataToProperties(metadata: Record<string, unknown>): Properties {
  const properties: Properties = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'string') setOwn(properties, key, { string: value });
    else if (typeof value === 'number') setOwn(properties, key, { double: value });
    else if (typeof value === 'boolean') setOwn(properties, key, { int: value ? 1 : 0 });
    else if (Array.isArray(value)) setOwn(properties, key, { struct: { list: value } });
    else if (isStructObject(value)) setOwn(properties, key, { struct: { struct: value } });
    else throw new TypeError(`metadata '${key}' is a ${typeof value}; artifact metadata holds only JSON values`);
  }
  return properties;
}

/** The columns for one property; throws on values MLMD could not read back faithfully. */
export function toPropertyColumns(name: string, value: PropertyValue): PropertyColumns {
  const columns: PropertyColumns = { int_value: null, double_value: null, string_value: null, proto_value: null, bool_value: null };
  if ('int' in value) {
    // MLMD aborts the whole process on an int_value it cannot parse as an integer.
    if (!Number.isSafeInteger(value.int)) throw new RangeError(`property '${name}': int ${value.int} is not a safe integer`);
    columns.int_value = value.int;
  } else if ('double' in value) {
    // SQLite stores a NaN REAL as NULL, which would leave the row with no value at all.
    if (typeof value.double !== 'number' || Number.isNaN(value.double))
      throw new RangeError(`property '${name}': double ${value.double} cannot be stored (NaN reads back as NULL); store it as a string`);
    columns.double_value = value.double;
  } else if ('string' in value) {
    // MLMD decodes any string with the struct prefix as a Struct, so such a string would not read back as itself.
    if (isStructProperty(value.string))
      throw new Error(
        `property '${name}': a string starting with 'mlmd-struct::' would read back as a struct; pass it as { struct } instead`,
      );
    columns.string_value = value.string;
  } else if ('struct' in value) {
    if (!isStructObject(value.struct))
      throw new TypeError(`property '${name}': a struct property holds a JSON object (wrap a list as { list: [...] })`);
    columns.string_value = encodeStructProperty(value.struct);
  } else if ('bool' in value) {
    columns.bool_value = value.bool ? 1 : 0;
  } else {
    throw new TypeError(`property '${name}': unknown value kind ${JSON.stringify(value)}`);
  }
  return columns;
}

/**
 * Reads a row back the way MLMD does. Returns undefined for a PROTO value (google.protobuf.Any, which
 * kfp-ts never writes) rather than misreading it; throws, as MLMD does, when every value column is NULL.
 */
export function fromPropertyColumns(name: string, row: PropertyColumns): PropertyValue | undefined {
  if (row.int_value !== null) return { int: Number(row.int_value) };
  if (row.double_value !== null) return { double: Number(row.double_value) };
  if (row.string_value !== null) {
    const text = String(row.string_value);
    return isStructProperty(text) ? { struct: decodeStructProperty(text) } : { string: text };
  }
  if (row.proto_value !== null) return undefined;
  if (row.bool_value !== null) return { bool: Number(row.bool_value) !== 0 };
  throw new Error(`property '${name}': null in every known *_value column`);
}
