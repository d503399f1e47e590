/**
 * A run's executions with the few properties that place them in its DAG, read with two indexed
 * queries (Association by context, ExecutionProperty by execution), and each one's task path: the
 * runner records `kfp_ts_task_path` on container and importer executions; DAG, loop and iteration
 * executions get theirs from `parent_dag_id`, `task_name` and `iteration_index`, as the runner
 * names their folders (dag-executor.ts).
 */
import type { NodeState } from './api-types';
import { placeholders, type ReadOnlyStore } from './read-only-store';

export interface RunExecution {
  readonly id: number;
  readonly type: string;
  readonly mlmdState: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly name: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  path: string;
}

/** The properties that place an execution without a recorded task path, and mark an interrupted one. */
const placing = ['task_name', 'display_name', 'parent_dag_id', 'iteration_index', 'iteration_count', 'kfp_ts_interrupted'];
const CANCELED = 6;

type ExecutionRow = [
  id: number,
  typeId: number,
  state: number | null,
  created: number,
  updated: number,
  name: string | null,
  taskPath: string | null,
];

/**
 * The executions of a run, each with its recorded task path and, where needed, the properties that
 * place it. Rows come as arrays and type names from a map: a 3,000-task run reads 3,000 executions,
 * where one object and one join per row cost more than the query itself. The other properties are
 * read only for the executions that need them: DAG executions (sub-DAGs, loops, iterations: no
 * recorded path) and CANCELED ones (`kfp_ts_interrupted`, or a skipped task recorded without a
 * path), unless `everyExecution` (the graph built from executions alone nests every execution by
 * its parent) or an execution of another kind has no path (a store written by an older runner).
 */
export function runExecutions(store: ReadOnlyStore, runContextId: number, everyExecution = false): RunExecution[] {
  const typeNames = new Map(store.rows<[number, string]>('SELECT `id`, `name` FROM `Type` WHERE `type_kind` = 0'));
  const dagType = [...typeNames].find(([, name]) => name === 'system.DAGExecution')?.[0] ?? -1;
  const rows = store.rows<ExecutionRow>(
    'SELECT E.`id`, E.`type_id`, E.`last_known_state`, E.`create_time_since_epoch`, E.`last_update_time_since_epoch`, E.`name`,' +
      " (SELECT P.`string_value` FROM `ExecutionProperty` AS P WHERE P.`execution_id` = E.`id` AND P.`name` = 'kfp_ts_task_path' AND P.`is_custom_property` = 1)" +
      ' FROM `Association` AS S JOIN `Execution` AS E ON E.`id` = S.`execution_id` WHERE S.`context_id` = ? ORDER BY S.`execution_id`',
    runContextId,
  );
  const everyOne =
    everyExecution ||
    rows.some(
      ([, typeId, state, , , name, taskPath]) => taskPath === null && typeId !== dagType && state !== CANCELED && !name?.startsWith('run/'),
    );
  const properties = new Map<number, Record<string, unknown>>();
  for (const [owner, name, value] of store.rows<[owner: number, name: string, value: unknown]>(
    // MLMD reads a property from its first non-NULL column (int, double, string, …); these are all
    // ints or plain strings. `+P.name`: one range scan of each execution's properties rather than one
    // index probe per name.
    'SELECT P.`execution_id`, P.`name`, COALESCE(P.`int_value`, P.`double_value`, P.`string_value`, P.`bool_value`)' +
      ' FROM `Association` AS S JOIN `Execution` AS E ON E.`id` = S.`execution_id`' +
      (everyOne ? '' : ' AND (E.`type_id` = ? OR E.`last_known_state` = ?)') +
      ' JOIN `ExecutionProperty` AS P ON P.`execution_id` = E.`id` AND P.`is_custom_property` = 1' +
      ` AND +P.\`name\` IN (${placeholders(placing.length)}) WHERE S.\`context_id\` = ?`,
    ...(everyOne ? [] : [dagType, CANCELED]),
    ...placing,
    runContextId,
  )) {
    let own = properties.get(owner);
    if (!own) properties.set(owner, (own = {}));
    own[name] = value; // names come from the fixed `placing` list: no prototype keys
  }
  const executions = rows.map(([id, typeId, state, created, updated, name, taskPath]): RunExecution => {
    const own = properties.get(id) ?? {};
    return {
      id,
      type: typeNames.get(typeId) ?? '?',
      mlmdState: state,
      createdAt: created,
      updatedAt: updated,
      name,
      properties: taskPath === null ? own : { ...own, kfp_ts_task_path: taskPath },
      path: '',
    };
  });
  assignPaths(executions);
  return executions;
}

function assignPaths(executions: RunExecution[]): void {
  const byId = new Map(executions.map((e) => [e.id, e]));
  const resolved = new Map<number, string>();
  const pathOf = (execution: RunExecution, depth: number): string => {
    const known = resolved.get(execution.id);
    if (known !== undefined) return known;
    let result: string;
    const recorded = execution.properties['kfp_ts_task_path'];
    const parent = byId.get(Number(execution.properties['parent_dag_id']));
    if (typeof recorded === 'string') result = recorded;
    else if (execution.name?.startsWith('run/') || !parent || depth > 64) result = '';
    else {
      const parentPath = pathOf(parent, depth + 1);
      const step =
        execution.properties['iteration_index'] !== undefined
          ? String(execution.properties['iteration_index'])
          : String(execution.properties['task_name'] ?? execution.id);
      result = parentPath ? `${parentPath}/${step}` : step;
    }
    resolved.set(execution.id, result);
    return result;
  };
  for (const execution of executions) execution.path = pathOf(execution, 0);
}

/**
 * A node's state from its execution: a CANCELED execution is a stopped task when the runner marked
 * it interrupted, else a task whose condition was false (the runner records those CANCELED, as KFP does).
 */
export function nodeState(execution: Pick<RunExecution, 'mlmdState' | 'properties'> | undefined, runRunning: boolean): NodeState {
  if (!execution) return runRunning ? 'pending' : 'not-run';
  switch (execution.mlmdState) {
    case 1:
      return 'pending';
    case 2:
      return 'running';
    case 3:
      return 'succeeded';
    case 4:
      return 'failed';
    case 5:
      return 'cached';
    case 6:
      return execution.properties['kfp_ts_interrupted'] !== undefined ? 'cancelled' : 'skipped';
    default:
      return runRunning ? 'pending' : 'not-run';
  }
}

/** The newest execution at each path (a resumed run has the interrupted one and its rerun). */
export function executionsByPath(executions: readonly RunExecution[]): Map<string, RunExecution> {
  const byPath = new Map<string, RunExecution>();
  for (const execution of executions) if (!execution.name?.startsWith('run/')) byPath.set(execution.path, execution);
  return byPath;
}
