import { createHash } from 'node:crypto';
import type { IrValue } from '../../compiler/ir/pipeline-spec';
import { goJson } from './go-json';

/**
 * The KFP v2 backend's step cache fingerprint (`GenerateFingerPrint` in
 * https://github.com/kubeflow/pipelines/blob/master/backend/src/v2/cacheutils/cache.go): SHA-256, as lowercase
 * hex, of the `CacheKey` message in protojson re-marshalled by Go's `encoding/json`. Using the
 * same key as KFP means upstream artifact *ids* chain the cache, and the same inputs, outputs and
 * container give the same fingerprint as on a KFP backend.
 */

export interface OutputArtifactKeySpec {
  schemaTitle?: string;
  schemaVersion?: string;
  instanceSchema?: string;
  /** Only when the component declares output metadata. */
  metadata?: Record<string, IrValue>;
}

export interface CacheKeyParts {
  /** Input name → the upstream MLMD artifact ids, in list order. */
  inputArtifactIds: Record<string, number[]>;
  /** JSON values, as in `ExecutorInput.inputs.parameterValues`. */
  inputParameterValues: Record<string, unknown>;
  outputArtifacts: Record<string, OutputArtifactKeySpec>;
  /** Output name → ParameterType enum name (`STRING`, `NUMBER_INTEGER`, …). */
  outputParameterTypes: Record<string, string>;
  image: string;
  /** IR `command` and `args`, unresolved: placeholders count literally. */
  command: readonly string[];
  args: readonly string[];
}

export function cacheFingerprint(parts: CacheKeyParts): string {
  return sha256Hex(goJson(cacheKeyMessage(parts)));
}

/**
 * The `CacheKey` message in proto-JSON, proto3 defaults omitted (empty maps, lists and strings,
 * unset messages), because protojson does not write them. Map entries always stay: a map value is
 * written even when it is an empty message, and parameter values are `google.protobuf.Value`s,
 * written in full whatever they hold.
 */
export function cacheKeyMessage(parts: CacheKeyParts): Record<string, unknown> {
  const inputArtifactNames = mapValues(parts.inputArtifactIds, (ids) => omitDefaults({ artifactNames: ids.map((id) => String(id)) }));
  const outputArtifactsSpec = mapValues(parts.outputArtifacts, (spec, name) =>
    omitDefaults({
      name,
      type: omitDefaults({ schemaTitle: spec.schemaTitle, instanceSchema: spec.instanceSchema, schemaVersion: spec.schemaVersion }),
      metadata: spec.metadata,
    }),
  );
  const message = omitDefaults({
    inputArtifactNames,
    inputParameterValues: parts.inputParameterValues,
    outputArtifactsSpec,
    outputParametersSpec: parts.outputParameterTypes,
    containerSpec: omitDefaults({ image: parts.image, cmdArgs: [...parts.command, ...parts.args] }),
  });
  return message ?? {};
}

/**
 * A task's own `cachingOptions.cacheKey` replaces every automatic field (KFP #13762): the
 * fingerprint is SHA-256 of `componentRef.name + "\0" + cacheKey`, or of the key alone when the
 * component name is empty.
 */
export function customCacheFingerprint(componentRefName: string, cacheKey: string): string {
  if (cacheKey === '')
    throw new RangeError('customCacheFingerprint needs a non-empty cacheKey; an empty one means "use the automatic fingerprint"');
  return sha256Hex(componentRefName === '' ? cacheKey : `${componentRefName}\0${cacheKey}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Drops the fields protojson leaves out: undefined, '', empty lists and empty objects. */
function omitDefaults(fields: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value !== null && Object.keys(value).length === 0)
      continue;
    kept[key] = value;
  }
  return Object.keys(kept).length === 0 ? undefined : kept;
}

function mapValues<T>(map: Record<string, T>, f: (value: T, key: string) => unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  // An empty message inside a map is still written, as `{}`.
  for (const [key, value] of Object.entries(map)) result[key] = f(value, key) ?? {};
  return result;
}
