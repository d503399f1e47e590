/**
 * The runs page: one SQL page of runs (LIMIT/OFFSET over the run contexts in creation order, which
 * MLMD's `idx_context_create_time_since_epoch` serves), each run's root DAG execution found through
 * the `UNIQUE(type_id, name)` index on `run/<run id>`, and the chosen metrics of only that page.
 */
import type { RunRow, RunState, RunsPage } from './api-types';
import { placeholders, type ReadOnlyStore } from './read-only-store';
import { typeIds, type TypeIds } from './type-ids';

export interface RunsQuery {
  readonly pipeline?: string;
  readonly state?: RunState;
  readonly experiment?: string;
  readonly metrics?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
}

export const MAX_PAGE = 200;

/** MLMD's Execution.last_known_state numbers of a root DAG execution, by run state. */
const rootStates: Record<Exclude<RunState, 'UNKNOWN'>, number> = { RUNNING: 2, SUCCEEDED: 3, FAILED: 4, CANCELLED: 6 };

export function runState(lastKnownState: number | null | undefined): RunState {
  for (const [state, value] of Object.entries(rootStates)) if (value === lastKnownState) return state as RunState;
  return 'UNKNOWN';
}

/** A parent context of the run context of a type (its pipeline, its experiment), by name. */
const parentNamed = (typeParam: string) =>
  `(SELECT P.\`name\` FROM \`ParentContext\` AS PC JOIN \`Context\` AS P ON P.\`id\` = PC.\`parent_context_id\`` +
  ` WHERE PC.\`context_id\` = C.\`id\` AND P.\`type_id\` = ${typeParam} ORDER BY P.\`id\` LIMIT 1)`;

/** The experiment: a parent of the run context, or (as some writers record it) a context the root execution is associated with. */
const experimentColumn =
  `COALESCE(${parentNamed('@experimentType')}, (SELECT X.\`name\` FROM \`Association\` AS S JOIN \`Context\` AS X ON X.\`id\` = S.\`context_id\`` +
  ' WHERE S.`execution_id` = E.`id` AND X.`type_id` = @experimentType ORDER BY X.`id` LIMIT 1))';

const fromRuns =
  " FROM `Context` AS C LEFT JOIN `Execution` AS E ON E.`type_id` = @dagType AND E.`name` = 'run/' || C.`name`" +
  ' WHERE C.`type_id` = @runType';

interface RunRowSql {
  contextId: number;
  runId: string;
  pipeline: string | null;
  experiment: string | null;
  state: number | null;
  started: number | null;
  updated: number | null;
  created: number;
}

export function listRunsPage(store: ReadOnlyStore, query: RunsQuery, now = Date.now()): RunsPage {
  return store.snapshot(() => {
    const types = typeIds(store);
    const limit = Math.min(Math.max(1, query.limit ?? 50), MAX_PAGE);
    const offset = Math.max(0, query.offset ?? 0);
    const empty: RunsPage = { total: 0, offset, limit, runs: [], metricNames: [], pipelines: [], experiments: [] };
    if (types.run === undefined || types.dag === undefined) return empty;
    const { where, params } = filters(types, query);
    const total = store.get<{ n: number }>(`SELECT COUNT(*) AS n${fromRuns}${where}`, params)!.n;
    // The page's context ids first (only the filter is evaluated for skipped rows), then its columns.
    const rows = store.all<RunRowSql>(
      'SELECT C.`id` AS contextId, C.`name` AS runId, C.`create_time_since_epoch` AS created,' +
        ` ${parentNamed('@pipelineType')} AS pipeline, ${experimentColumn} AS experiment,` +
        ' E.`last_known_state` AS state, E.`create_time_since_epoch` AS started, E.`last_update_time_since_epoch` AS updated' +
        ` FROM (SELECT C.\`id\`${fromRuns}${where} ORDER BY C.\`create_time_since_epoch\` DESC, C.\`id\` DESC LIMIT @limit OFFSET @offset) AS page` +
        ' JOIN `Context` AS C ON C.`id` = page.`id`' +
        " LEFT JOIN `Execution` AS E ON E.`type_id` = @dagType AND E.`name` = 'run/' || C.`name`" +
        ' ORDER BY C.`create_time_since_epoch` DESC, C.`id` DESC',
      { ...params, limit, offset },
    );
    const metrics = metricsOfRuns(
      store,
      types,
      rows.map((row) => row.contextId),
      query.metrics ?? [],
    );
    return {
      total,
      offset,
      limit,
      runs: rows.map((row) => toRunRow(row, metrics.get(row.contextId) ?? {}, now)),
      ...choices(store, types),
    };
  });
}

function filters(types: TypeIds, query: RunsQuery): { where: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {
    runType: types.run,
    dagType: types.dag,
    pipelineType: types.pipeline ?? -1,
    experimentType: types.experiment ?? -1,
  };
  let where = '';
  if (query.pipeline !== undefined) {
    where += ` AND ${parentNamed('@pipelineType')} = @pipeline`;
    params['pipeline'] = query.pipeline;
  }
  if (query.experiment !== undefined) {
    where += ` AND ${experimentColumn} = @experiment`;
    params['experiment'] = query.experiment;
  }
  if (query.state !== undefined) {
    if (query.state === 'UNKNOWN') where += ' AND (E.`last_known_state` IS NULL OR E.`last_known_state` NOT IN (2, 3, 4, 6))';
    else {
      where += ' AND E.`last_known_state` = @state';
      params['state'] = rootStates[query.state];
    }
  }
  return { where, params };
}

function toRunRow(row: RunRowSql, metrics: Record<string, number>, now: number): RunRow {
  const state = runState(row.state);
  const startedAt = row.started ?? row.created;
  return {
    runId: row.runId,
    pipeline: row.pipeline ?? '?',
    ...(row.experiment !== null ? { experiment: row.experiment } : {}),
    state,
    startedAt,
    durationMs: (state === 'RUNNING' ? now : (row.updated ?? startedAt)) - startedAt,
    metrics,
  };
}

/**
 * Numeric custom properties named `names` of the system.Metrics artifacts attributed to each run
 * context, in one query driven by the page's run contexts: Attribution's UNIQUE(context_id,
 * artifact_id) index, then the artifact and its properties by primary key. CROSS JOIN keeps SQLite
 * to that order (https://sqlite.org/optoverview.html#manual_control_of_query_plans_using_cross_join):
 * left to itself it starts from the Metrics artifacts by type, i.e. every run's metrics, ten times
 * slower on 1,000 runs.
 */
export function metricsOfRuns(
  store: ReadOnlyStore,
  types: TypeIds,
  contextIds: readonly number[],
  names: readonly string[],
): Map<number, Record<string, number>> {
  const byRun = new Map<number, Record<string, number>>();
  if (contextIds.length === 0 || names.length === 0 || types.metrics === undefined) return byRun;
  const rows = store.rows<[contextId: number, name: string, value: number | null]>(
    'SELECT AT.`context_id`, AP.`name`, COALESCE(AP.`int_value`, AP.`double_value`)' +
      ' FROM `Attribution` AS AT CROSS JOIN `Artifact` AS A ON A.`id` = AT.`artifact_id`' +
      ` CROSS JOIN \`ArtifactProperty\` AS AP ON AP.\`artifact_id\` = A.\`id\` AND AP.\`name\` IN (${placeholders(names.length)}) AND AP.\`is_custom_property\` = 1` +
      ` WHERE AT.\`context_id\` IN (${placeholders(contextIds.length)}) AND A.\`type_id\` = ?` +
      ' ORDER BY A.`id`',
    ...names,
    ...contextIds,
    types.metrics,
  );
  for (const [contextId, name, value] of rows) {
    if (value === null) continue;
    let metrics = byRun.get(contextId);
    if (!metrics) byRun.set(contextId, (metrics = {}));
    Object.defineProperty(metrics, name, { value: Number(value), enumerable: true, writable: true, configurable: true });
  }
  return byRun;
}

let cachedChoices: { store: ReadOnlyStore; stamp: string; value: Pick<RunsPage, 'metricNames' | 'pipelines' | 'experiments'> } | undefined;

/** The filter and column choices change only when artifacts or contexts are added: recomputed then. */
function choices(store: ReadOnlyStore, types: TypeIds): Pick<RunsPage, 'metricNames' | 'pipelines' | 'experiments'> {
  const stamp =
    store.get<{ stamp: string }>("SELECT (SELECT MAX(`id`) FROM `Artifact`) || ':' || (SELECT MAX(`id`) FROM `Context`) AS stamp")?.stamp ??
    '';
  if (cachedChoices?.store === store && cachedChoices.stamp === stamp) return cachedChoices.value;
  const value = {
    metricNames: metricNames(store, types),
    pipelines: contextNames(store, types.pipeline),
    experiments: contextNames(store, types.experiment),
  };
  cachedChoices = { store, stamp, value };
  return value;
}

function metricNames(store: ReadOnlyStore, types: TypeIds): string[] {
  if (types.metrics === undefined) return [];
  return store
    .all<{ name: string }>(
      'SELECT DISTINCT AP.`name` FROM `Artifact` AS A JOIN `ArtifactProperty` AS AP ON AP.`artifact_id` = A.`id`' +
        ' WHERE A.`type_id` = ? AND AP.`is_custom_property` = 1 AND (AP.`double_value` IS NOT NULL OR AP.`int_value` IS NOT NULL) ORDER BY AP.`name` LIMIT 200',
      types.metrics,
    )
    .map((row) => row.name);
}

function contextNames(store: ReadOnlyStore, typeId: number | undefined): string[] {
  if (typeId === undefined) return [];
  return store
    .all<{ name: string }>('SELECT `name` FROM `Context` WHERE `type_id` = ? ORDER BY `name` LIMIT 500', typeId)
    .map((row) => row.name);
}
