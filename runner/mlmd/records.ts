// What MetadataStore's reads return, and the queries that build them. Enum columns come back as names,
// properties decoded (structs as JSON objects), times as Unix milliseconds.
import {
  ArtifactState,
  EventType,
  ExecutionState,
  enumName,
  type ArtifactStateName,
  type EventTypeName,
  type ExecutionStateName,
} from './enums';
import { readCustomProperties } from './property-rows';
import type { Properties } from './property-values';
import type { StatementCache } from './statement-cache';

export interface ExecutionRecord {
  id: number;
  typeName: string;
  /** NULL for every KFP execution except the root DAG's `run/<runId>`. */
  name: string | null;
  state: ExecutionStateName;
  customProperties: Properties;
  createTime: number;
  updateTime: number;
}

export interface ArtifactRecord {
  id: number;
  typeName: string;
  uri: string | null;
  state: ArtifactStateName;
  name: string | null;
  customProperties: Properties;
  createTime: number;
  updateTime: number;
}

export interface ContextRecord {
  id: number;
  typeName: string;
  name: string;
  customProperties: Properties;
  createTime: number;
  updateTime: number;
}

export interface EventRecord {
  artifactId: number;
  executionId: number;
  type: EventTypeName;
  /** The first key step of the event's path: the input or output name. */
  key: string | undefined;
}

interface TimedRow {
  id: number;
  typeName: string;
  create_time_since_epoch: number;
  last_update_time_since_epoch: number;
}

const executionColumns =
  'SELECT E.`id`, T.`name` AS typeName, E.`name`, E.`last_known_state`, E.`create_time_since_epoch`, E.`last_update_time_since_epoch`' +
  ' FROM `Execution` AS E JOIN `Type` AS T ON T.`id` = E.`type_id`';

const artifactColumns =
  'SELECT A.`id`, T.`name` AS typeName, A.`uri`, A.`state`, A.`name`, A.`create_time_since_epoch`, A.`last_update_time_since_epoch`' +
  ' FROM `Artifact` AS A JOIN `Type` AS T ON T.`id` = A.`type_id`';

const contextColumns =
  'SELECT C.`id`, T.`name` AS typeName, C.`name`, C.`create_time_since_epoch`, C.`last_update_time_since_epoch`' +
  ' FROM `Context` AS C JOIN `Type` AS T ON T.`id` = C.`type_id`';

/** Executions matching a WHERE clause over alias E (and any JOIN given before it), in id order. */
export function selectExecutions(statements: StatementCache, joinAndWhere: string, ...params: unknown[]): ExecutionRecord[] {
  const rows = statements.get(`${executionColumns} ${joinAndWhere} ORDER BY E.\`id\``).all(...params) as (TimedRow & {
    name: string | null;
    last_known_state: number | null;
  })[];
  return rows.map((row) => ({
    id: row.id,
    typeName: row.typeName,
    name: row.name,
    state: enumName(ExecutionState, row.last_known_state),
    customProperties: readCustomProperties(statements, 'Execution', row.id),
    createTime: row.create_time_since_epoch,
    updateTime: row.last_update_time_since_epoch,
  }));
}

/** Artifacts matching a WHERE clause over alias A, in id order. */
export function selectArtifacts(statements: StatementCache, where: string, ...params: unknown[]): ArtifactRecord[] {
  const rows = statements.get(`${artifactColumns} ${where} ORDER BY A.\`id\``).all(...params) as (TimedRow & {
    uri: string | null;
    state: number | null;
    name: string | null;
  })[];
  return rows.map((row) => ({
    id: row.id,
    typeName: row.typeName,
    uri: row.uri,
    state: enumName(ArtifactState, row.state),
    name: row.name,
    customProperties: readCustomProperties(statements, 'Artifact', row.id),
    createTime: row.create_time_since_epoch,
    updateTime: row.last_update_time_since_epoch,
  }));
}

/** Contexts matching a WHERE clause over aliases C and T, in id order. */
export function selectContexts(statements: StatementCache, where: string, ...params: unknown[]): ContextRecord[] {
  const rows = statements.get(`${contextColumns} ${where} ORDER BY C.\`id\``).all(...params) as (TimedRow & { name: string })[];
  return rows.map((row) => ({
    id: row.id,
    typeName: row.typeName,
    name: row.name,
    customProperties: readCustomProperties(statements, 'Context', row.id),
    createTime: row.create_time_since_epoch,
    updateTime: row.last_update_time_since_epoch,
  }));
}

/** Events matching a WHERE clause over alias V, in the order they were written. */
export function selectEvents(statements: StatementCache, where: string, ...params: unknown[]): EventRecord[] {
  const rows = statements
    .get(
      'SELECT V.`artifact_id`, V.`execution_id`, V.`type`,' +
        ' (SELECT P.`step_key` FROM `EventPath` AS P WHERE P.`event_id` = V.`id` AND P.`is_index_step` = 0 ORDER BY P.rowid LIMIT 1) AS step_key' +
        ` FROM \`Event\` AS V ${where} ORDER BY V.\`id\``,
    )
    .all(...params) as { artifact_id: number; execution_id: number; type: number; step_key: string | null }[];
  return rows.map((row) => ({
    artifactId: row.artifact_id,
    executionId: row.execution_id,
    type: enumName(EventType, row.type),
    key: row.step_key ?? undefined,
  }));
}
