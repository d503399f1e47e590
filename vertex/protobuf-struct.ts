/**
 * JSON ⇄ `google.protobuf.Value` / `Struct` in the message form the gRPC client encodes.
 *
 * Why not pass plain JSON: over gRPC, protobufjs has no JSON mapping for `Struct`, so a plain object
 * given as `pipelineSpec` arrives as an empty Struct without any error. Every value has to be spelled
 * out as `{structValue: {fields: …}}`, `{numberValue: 1}`, … Non-JSON input (undefined inside a list,
 * a Date, NaN) is an error here instead of a silently different value on the server.
 */

export interface ProtobufStruct {
  fields?: Record<string, ProtobufValue> | null;
}

export interface ProtobufValue {
  nullValue?: 'NULL_VALUE' | 0 | null;
  numberValue?: number | null;
  stringValue?: string | null;
  boolValue?: boolean | null;
  structValue?: ProtobufStruct | null;
  listValue?: { values?: ProtobufValue[] | null } | null;
  /** Which of the fields above is set; gRPC decoders with `oneofs: true` add it. */
  kind?: string | null;
}

/** A JSON value as a `google.protobuf.Value`; `where` names the value in errors. */
export function jsonToProtobufValue(value: unknown, where = 'value'): ProtobufValue {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${where} is ${value}, which JSON and protobuf Values cannot carry`);
      return { numberValue: value };
    case 'object':
      if (Array.isArray(value)) return { listValue: { values: value.map((item, i) => jsonToProtobufValue(item, `${where}[${i}]`)) } };
      return { structValue: jsonToProtobufStruct(value, where) };
    default:
      throw new TypeError(`${where} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}, not a JSON value`);
  }
}

/** A JSON object as a `google.protobuf.Struct`. Keys whose value is undefined are left out, as JSON.stringify does. */
export function jsonToProtobufStruct(object: object, where = 'value'): ProtobufStruct {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new TypeError(`${where} is a ${object.constructor?.name ?? 'non-plain object'}, not a JSON object`);
  }
  const fields: Record<string, ProtobufValue> = {};
  for (const [key, item] of Object.entries(object)) {
    if (item !== undefined) fields[key] = jsonToProtobufValue(item, `${where}.${key}`);
  }
  return { fields };
}

/** A `google.protobuf.Value` back to JSON, whether or not the decoder set `kind`. */
export function protobufValueToJson(value: ProtobufValue | null | undefined): unknown {
  if (value == null) return null;
  const kind =
    value.kind ??
    (['structValue', 'listValue', 'stringValue', 'numberValue', 'boolValue', 'nullValue'] as const).find((k) => value[k] != null);
  switch (kind) {
    case 'structValue':
      return protobufStructToJson(value.structValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map(protobufValueToJson);
    case 'stringValue':
      return value.stringValue;
    case 'numberValue':
      return value.numberValue;
    case 'boolValue':
      return value.boolValue;
    default:
      return null;
  }
}

export function protobufStructToJson(struct: ProtobufStruct | null | undefined): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(struct?.fields ?? {})) object[key] = protobufValueToJson(value);
  return object;
}
