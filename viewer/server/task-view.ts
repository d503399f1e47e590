/**
 * The task page: one execution with every custom property, its input and output artifacts, the
 * cache hit it reused, the command the runner recorded beside its outputs, and its executor log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IrPipelineSpec, IrPipelineTaskSpec } from '../../compiler/ir/pipeline-spec';
import { TASK_COMMAND_FILE, type TaskCommandRecord } from '../../runner/run-records';
import type { ArtifactEventRef, LogView, TaskView } from './api-types';
import { containedPath, readBounded } from './contained-path';
import { groupProperties, propertyColumns, type PropertyRow, type ReadOnlyStore } from './read-only-store';
import { nodeState, runExecutions } from './run-executions';
import { findRunContext, type SpecCache } from './run-view';
import { typeIds } from './type-ids';

/** The log the task page shows first; "all" shows up to LOG_ALL_BYTES. */
export const LOG_TAIL_BYTES = 64 * 1024;
export const LOG_ALL_BYTES = 8 * 1024 * 1024;
const COMMAND_FILE_BYTES = 4 * 1024 * 1024;

/** Properties shown in their own fields rather than in the generic list. */
const shown = new Set(['inputs', 'outputs', 'cache_fingerprint', 'cached_execution_id', 'image', 'kfp_ts_task_path']);

export interface ExecutionLocation {
  readonly runId?: string;
  readonly runRoot?: string;
  readonly path: string;
}

/** The run an execution belongs to, and its task path (computed as on the run page). */
export function locateExecution(store: ReadOnlyStore, executionId: number): ExecutionLocation | undefined {
  const types = typeIds(store);
  const run = store.get<{ name: string }>(
    'SELECT C.`name` FROM `Association` AS S JOIN `Context` AS C ON C.`id` = S.`context_id` WHERE S.`execution_id` = ? AND C.`type_id` = ?',
    executionId,
    types.run ?? -1,
  );
  if (!run) return store.get('SELECT 1 FROM `Execution` WHERE `id` = ?', executionId) ? { path: `execution ${executionId}` } : undefined;
  const context = findRunContext(store, run.name)!;
  // Container and importer executions carry their path; only DAG-level ones need the run's tree.
  const recorded = store.get<{ path: string }>(
    "SELECT `string_value` AS path FROM `ExecutionProperty` WHERE `execution_id` = ? AND `name` = 'kfp_ts_task_path' AND `is_custom_property` = 1",
    executionId,
  );
  const path = recorded?.path ?? runExecutions(store, context.contextId).find((e) => e.id === executionId)?.path ?? '';
  return { runId: run.name, runRoot: context.runRoot, path };
}

export function taskView(store: ReadOnlyStore, roots: readonly string[], specs: SpecCache, executionId: number): TaskView | undefined {
  return store.snapshot(() => {
    const row = store.get<{ type: string; state: number | null; created: number; updated: number }>(
      'SELECT T.`name` AS type, E.`last_known_state` AS state, E.`create_time_since_epoch` AS created, E.`last_update_time_since_epoch` AS updated' +
        ' FROM `Execution` AS E JOIN `Type` AS T ON T.`id` = E.`type_id` WHERE E.`id` = ?',
      executionId,
    );
    if (!row) return undefined;
    const location = locateExecution(store, executionId)!;
    const properties =
      groupProperties(
        store.all<PropertyRow>(
          `SELECT P.\`execution_id\` AS owner, ${propertyColumns('P')} FROM \`ExecutionProperty\` AS P WHERE P.\`execution_id\` = ? AND P.\`is_custom_property\` = 1 ORDER BY P.\`name\``,
          executionId,
        ),
      ).get(executionId) ?? {};
    const events = eventArtifacts(store, executionId);
    const runRunning = row.state === 2;
    const cachedId = Number(properties['cached_execution_id']);
    const cachedFrom = Number.isInteger(cachedId) && cachedId > 0 ? locateExecution(store, cachedId) : undefined;
    const taskDir = location.runRoot && location.path ? path.join(location.runRoot, ...location.path.split('/')) : undefined;
    const commandRecord = taskDir ? readCommand(roots, taskDir) : undefined;
    const spec = location.runRoot ? specs.read(roots, location.runRoot) : undefined;
    const maxRetries = spec ? retriesOf(spec, location.path) : undefined;
    const asObject = (value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    return {
      executionId,
      ...(location.runId !== undefined ? { runId: location.runId } : {}),
      path: location.path,
      type: row.type,
      state: nodeState({ mlmdState: row.state, properties }, runRunning),
      mlmdState: ['UNKNOWN', 'NEW', 'RUNNING', 'COMPLETE', 'FAILED', 'CACHED', 'CANCELED'][row.state ?? 0] ?? 'UNKNOWN',
      createdAt: row.created,
      updatedAt: row.updated,
      durationMs: (runRunning ? Date.now() : row.updated) - row.created,
      inputs: asObject(properties['inputs']),
      outputs: asObject(properties['outputs']),
      inputArtifacts: events.filter((e) => e.eventType === 3).map(({ eventType: _, ...ref }) => ref),
      outputArtifacts: events.filter((e) => e.eventType === 4).map(({ eventType: _, ...ref }) => ref),
      ...(typeof properties['cache_fingerprint'] === 'string' ? { cacheFingerprint: properties['cache_fingerprint'] } : {}),
      ...(cachedFrom
        ? {
            cachedFrom: {
              executionId: cachedId,
              ...(cachedFrom.runId !== undefined ? { runId: cachedFrom.runId } : {}),
              path: cachedFrom.path,
            },
          }
        : {}),
      ...(typeof properties['image'] === 'string' ? { image: properties['image'] } : {}),
      ...(commandRecord ? { command: commandRecord.command, attempt: commandRecord.attempt } : {}),
      ...(maxRetries !== undefined ? { maxRetries } : {}),
      hasLog: taskDir !== undefined && logFile(roots, taskDir) !== undefined,
      properties: Object.fromEntries(Object.entries(properties).filter(([name]) => !shown.has(name))),
    };
  });
}

function eventArtifacts(store: ReadOnlyStore, executionId: number): (ArtifactEventRef & { eventType: number })[] {
  return store
    .all<{ id: number; eventType: number; uri: string | null; type: string; key: string | null }>(
      'SELECT A.`id`, V.`type` AS eventType, A.`uri`, T.`name` AS type,' +
        ' (SELECT EP.`step_key` FROM `EventPath` AS EP WHERE EP.`event_id` = V.`id` AND EP.`is_index_step` = 0 LIMIT 1) AS key' +
        ' FROM `Event` AS V JOIN `Artifact` AS A ON A.`id` = V.`artifact_id` JOIN `Type` AS T ON T.`id` = A.`type_id`' +
        ' WHERE V.`execution_id` = ? ORDER BY V.`id`',
      executionId,
    )
    .map((row) => ({ id: row.id, eventType: row.eventType, uri: row.uri ?? '', type: row.type, name: row.key ?? '', key: row.key ?? '' }));
}

function readCommand(roots: readonly string[], taskDir: string): TaskCommandRecord | undefined {
  try {
    const file = containedPath(roots, path.join(taskDir, TASK_COMMAND_FILE));
    const { data, truncated } = readBounded(file, COMMAND_FILE_BYTES);
    if (truncated) return undefined;
    const record = JSON.parse(data.toString('utf8')) as TaskCommandRecord;
    return Array.isArray(record.command) ? record : undefined;
  } catch {
    return undefined;
  }
}

function retriesOf(spec: IrPipelineSpec, taskPath: string): number | undefined {
  let component = spec.root;
  let task: IrPipelineTaskSpec | undefined;
  for (const step of taskPath.split('/')) {
    if (/^\d+$/.test(step) && task && (task.parameterIterator || task.artifactIterator)) continue;
    task = component.dag?.tasks[step];
    if (!task) return undefined;
    const next = spec.components?.[task.componentRef.name];
    if (!next) return undefined;
    component = next;
  }
  return task?.retryPolicy?.maxRetryCount;
}

function logFile(roots: readonly string[], taskDir: string): string | undefined {
  try {
    const file = containedPath(roots, path.join(taskDir, 'executor.log'));
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** The executor log: its last LOG_TAIL_BYTES, or (all) its first LOG_ALL_BYTES. */
export function taskLog(store: ReadOnlyStore, roots: readonly string[], executionId: number, all: boolean): LogView | undefined {
  const location = store.snapshot(() => locateExecution(store, executionId));
  if (!location?.runRoot) return undefined;
  const file = logFile(roots, path.join(location.runRoot, ...location.path.split('/')));
  if (!file) return undefined;
  const { data, size, truncated } = readBounded(file, all ? LOG_ALL_BYTES : LOG_TAIL_BYTES, !all);
  return { text: data.toString('utf8'), size, truncated };
}
