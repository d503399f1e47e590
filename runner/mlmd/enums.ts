// The numeric values MLMD stores for its proto enums (ml_metadata/proto/metadata_store.proto and the
// C++ TypeKind). They are part of the on-disk format: other MLMD readers interpret these numbers.

/** `Type.type_kind`. */
export const TypeKind = { EXECUTION_TYPE: 0, ARTIFACT_TYPE: 1, CONTEXT_TYPE: 2 } as const;

/** `Execution.last_known_state`. */
export const ExecutionState = {
  UNKNOWN: 0,
  NEW: 1,
  RUNNING: 2,
  COMPLETE: 3,
  FAILED: 4,
  CACHED: 5,
  CANCELED: 6,
} as const;

/** `Artifact.state`. */
export const ArtifactState = {
  UNKNOWN: 0,
  PENDING: 1,
  LIVE: 2,
  MARKED_FOR_DELETION: 3,
  DELETED: 4,
  ABANDONED: 5,
  REFERENCE: 6,
} as const;

/** `Event.type`. */
export const EventType = {
  UNKNOWN: 0,
  DECLARED_OUTPUT: 1,
  DECLARED_INPUT: 2,
  INPUT: 3,
  OUTPUT: 4,
  INTERNAL_INPUT: 5,
  INTERNAL_OUTPUT: 6,
  PENDING_OUTPUT: 7,
} as const;

/** `TypeProperty.data_type`; kfp-ts writes no TypeProperty rows (KFP types are schemaless) but readers may meet them. */
export const PropertyType = { UNKNOWN: 0, INT: 1, DOUBLE: 2, STRING: 3, STRUCT: 4, PROTO: 5, BOOLEAN: 6 } as const;

export type TypeKindName = keyof typeof TypeKind;
export type ExecutionStateName = keyof typeof ExecutionState;
export type ArtifactStateName = keyof typeof ArtifactState;
export type EventTypeName = keyof typeof EventType;
export type PropertyTypeName = keyof typeof PropertyType;

/**
 * The name of a stored enum number. NULL and numbers this MLMD version does not know read as UNKNOWN,
 * the way a proto reader treats an unset or unrecognised enum field.
 */
export function enumName<E extends Record<string, number>>(values: E, stored: number | null | undefined): keyof E & string {
  for (const [name, value] of Object.entries(values)) if (value === stored) return name as keyof E & string;
  return 'UNKNOWN' as keyof E & string;
}
