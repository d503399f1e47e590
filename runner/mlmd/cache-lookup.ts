// The cache lookup: which earlier execution's outputs a task with a given fingerprint may reuse.
import { EventType, ExecutionState } from './enums';
import { selectEvents, selectExecutions, type ExecutionRecord } from './records';
import type { StatementCache } from './statement-cache';
import { isStructObject, type StructObject } from './struct-encoding';

/** A COMPLETE execution whose outputs a cache hit reuses. */
export interface CachedExecution {
  execution: ExecutionRecord;
  /** Artifact ids of its OUTPUT events, by output name, in the order they were recorded. */
  outputArtifacts: Record<string, number[]>;
  /** Its `outputs` custom property (output parameter values), when it has one. */
  outputs: StructObject | undefined;
}

/**
 * Parameters: pipeline context id, fingerprint, COMPLETE. `string_value = ?` implies `string_value IS NOT
 * NULL`, so SQLite searches the partial index idx_execution_property_string instead of scanning.
 */
export const CACHED_EXECUTION_SQL =
  'SELECT E.`id` FROM `ExecutionProperty` AS P' +
  ' JOIN `Execution` AS E ON E.`id` = P.`execution_id`' +
  ' JOIN `Association` AS S ON S.`execution_id` = E.`id` AND S.`context_id` = ?' +
  " WHERE P.`name` = 'cache_fingerprint' AND P.`is_custom_property` = 1 AND P.`string_value` = ? AND E.`last_known_state` = ?" +
  ' ORDER BY E.`create_time_since_epoch` DESC, E.`id` DESC LIMIT 1';

/**
 * The newest COMPLETE execution associated with the pipeline context (KFP scopes its cache by pipeline
 * name) whose `cache_fingerprint` custom property is `fingerprint`. CACHED executions are never sources:
 * they point at their source's artifacts, which the source itself already offers.
 */
export function findCachedExecution(
  statements: StatementCache,
  pipelineContextId: number,
  fingerprint: string,
): CachedExecution | undefined {
  const found = statements.get(CACHED_EXECUTION_SQL).get(pipelineContextId, fingerprint, ExecutionState.COMPLETE) as
    | { id: number }
    | undefined;
  if (!found) return undefined;
  const [execution] = selectExecutions(statements, 'WHERE E.`id` = ?', found.id);
  // The row was just matched on the same connection, so absence means the two queries disagree (a bug).
  if (!execution) throw new Error(`MLMD execution ${found.id} matched the cache lookup but could not be read back`);
  const byKey = new Map<string, number[]>();
  for (const event of selectEvents(statements, 'WHERE V.`execution_id` = ? AND V.`type` = ?', found.id, EventType.OUTPUT)) {
    const key = event.key ?? '';
    byKey.set(key, [...(byKey.get(key) ?? []), event.artifactId]);
  }
  const outputsProperty = execution.customProperties.outputs;
  const outputs =
    outputsProperty && 'struct' in outputsProperty && isStructObject(outputsProperty.struct) ? outputsProperty.struct : undefined;
  // Object.fromEntries defines own properties, so even an output named "__proto__" stays a plain key.
  return { execution, outputArtifacts: Object.fromEntries(byKey), outputs };
}
