import type { ArtifactRecord, PropertyValue } from './mlmd/metadata-store';
import type { ArtifactRef } from './run-context';

/** Properties the store adds to artifacts that are not the component's metadata. */
const bookkeeping = new Set(['display_name', 'store_session_info']);

/**
 * An artifact's metadata read back from its custom properties, reversing KFP's mapping: numbers
 * were stored as doubles (bools as ints), lists and objects as `{list: …}` / `{struct: …}` structs.
 */
function propertiesToMetadata(properties: Readonly<Record<string, PropertyValue>>): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(properties)) {
    if (bookkeeping.has(name)) continue;
    metadata[name] = plainValue(value);
  }
  return metadata;
}

export function plainValue(value: PropertyValue): unknown {
  if ('string' in value) return value.string;
  if ('int' in value) return value.int;
  if ('double' in value) return value.double;
  if ('bool' in value) return value.bool;
  const struct = value.struct as Record<string, unknown> | null;
  if (struct && typeof struct === 'object' && !Array.isArray(struct)) {
    const keys = Object.keys(struct);
    if (keys.length === 1 && keys[0] === 'list') return struct['list'];
    if (keys.length === 1 && keys[0] === 'struct') return struct['struct'];
  }
  return struct;
}

/** An artifact as tasks receive it, from its stored record. */
export function artifactRefFromRecord(record: ArtifactRecord, outputKey: string): ArtifactRef {
  return {
    id: record.id,
    artifact: {
      name: outputKey,
      type: { schemaTitle: record.typeName, schemaVersion: '0.0.1' },
      uri: record.uri ?? '',
      metadata: propertiesToMetadata(record.customProperties) as ArtifactRef['artifact']['metadata'],
    },
  };
}
