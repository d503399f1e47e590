/**
 * The run page: the run's context, root execution (parameters, outputs, state), its graph and the
 * artifacts its tasks wrote, all from one read snapshot of the store.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IrPipelineSpec } from '../../compiler/ir/pipeline-spec';
import { RUN_SPEC_FILE } from '../../runner/run-records';
import type { ArtifactSummary, RunView } from './api-types';
import { containedPath, readBounded } from './contained-path';
import { groupProperties, propertyColumns, type PropertyRow, type ReadOnlyStore } from './read-only-store';
import { executionsByPath, runExecutions, type RunExecution } from './run-executions';
import { graphFromExecutions, graphFromSpec } from './run-graph';
import { runState } from './run-list';
import { typeIds } from './type-ids';

/** The IR of a 3,000-task pipeline is a few MiB; anything far larger is not a spec the runner wrote. */
const MAX_SPEC_BYTES = 64 * 1024 * 1024;

export interface RunContextRow {
  readonly contextId: number;
  readonly runId: string;
  readonly pipeline: string;
  readonly experiment?: string;
  readonly runRoot: string;
}

export function findRunContext(store: ReadOnlyStore, runId: string): RunContextRow | undefined {
  const types = typeIds(store);
  if (types.run === undefined) return undefined;
  const context = store.get<{ id: number }>('SELECT `id` FROM `Context` WHERE `type_id` = ? AND `name` = ?', types.run, runId);
  if (!context) return undefined;
  const parents = store.all<{ name: string; type_id: number }>(
    'SELECT P.`name`, P.`type_id` FROM `ParentContext` AS PC JOIN `Context` AS P ON P.`id` = PC.`parent_context_id` WHERE PC.`context_id` = ? ORDER BY P.`id`',
    context.id,
  );
  const properties =
    groupProperties(
      store.all<PropertyRow>(
        `SELECT \`context_id\` AS owner, ${propertyColumns('P')} FROM \`ContextProperty\` AS P WHERE P.\`context_id\` = ? AND P.\`is_custom_property\` = 1`,
        context.id,
      ),
    ).get(context.id) ?? {};
  const experiment = parents.find((p) => p.type_id === types.experiment)?.name;
  return {
    contextId: context.id,
    runId,
    pipeline: parents.find((p) => p.type_id === types.pipeline)?.name ?? '?',
    ...(experiment !== undefined ? { experiment } : {}),
    runRoot: typeof properties['pipeline_root'] === 'string' ? properties['pipeline_root'] : '',
  };
}

export class SpecCache {
  private readonly entries = new Map<string, { stamp: string; spec: IrPipelineSpec }>();

  /** The IR the runner wrote beside the run's outputs, parsed once per file version; undefined when absent or unreadable. */
  read(roots: readonly string[], runRoot: string): IrPipelineSpec | undefined {
    if (!runRoot) return undefined;
    let file: string;
    try {
      file = containedPath(roots, path.join(runRoot, RUN_SPEC_FILE));
    } catch {
      return undefined;
    }
    const stat = fs.statSync(file);
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const cached = this.entries.get(file);
    if (cached?.stamp === stamp) return cached.spec;
    const { data, truncated } = readBounded(file, MAX_SPEC_BYTES);
    if (truncated) return undefined;
    try {
      const spec = JSON.parse(data.toString('utf8')) as IrPipelineSpec;
      if (!spec || typeof spec !== 'object' || !spec.root) return undefined;
      this.entries.set(file, { stamp, spec });
      return spec;
    } catch {
      return undefined;
    }
  }
}

export function runView(
  store: ReadOnlyStore,
  roots: readonly string[],
  specs: SpecCache,
  runId: string,
  now = Date.now(),
): RunView | undefined {
  return store.snapshot(() => {
    const context = findRunContext(store, runId);
    if (!context) return undefined;
    const spec = specs.read(roots, context.runRoot);
    const executions = runExecutions(store, context.contextId, spec === undefined);
    const root = executions.find((e) => e.name === `run/${runId}`);
    const rootProperties = root ? rootIo(store, root.id) : { inputs: {}, outputs: {} };
    const state = runState(root?.mlmdState);
    const running = state === 'RUNNING';
    const byPath = executionsByPath(executions);
    const startedAt = root?.createdAt ?? 0;
    return {
      runId,
      pipeline: context.pipeline,
      ...(context.experiment !== undefined ? { experiment: context.experiment } : {}),
      state,
      startedAt,
      durationMs: (running ? now : (root?.updatedAt ?? startedAt)) - startedAt,
      pipelineRoot: context.runRoot,
      parameters: rootProperties.inputs,
      outputs: rootProperties.outputs,
      graph: spec ? graphFromSpec(spec, byPath, executions, running) : graphFromExecutions(executions, running),
      artifacts: runArtifacts(store, context.contextId, executions),
      fromSpec: spec !== undefined,
    };
  });
}

function rootIo(store: ReadOnlyStore, executionId: number): { inputs: Record<string, unknown>; outputs: Record<string, unknown> } {
  const properties =
    groupProperties(
      store.all<PropertyRow>(
        `SELECT P.\`execution_id\` AS owner, ${propertyColumns('P')} FROM \`ExecutionProperty\` AS P WHERE P.\`execution_id\` = ? AND P.\`is_custom_property\` = 1 AND P.\`name\` IN ('inputs', 'outputs')`,
        executionId,
      ),
    ).get(executionId) ?? {};
  const asObject = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return { inputs: asObject(properties['inputs']), outputs: asObject(properties['outputs']) };
}

/** The artifacts the run's executions output (a cache hit's are the original run's artifacts). */
function runArtifacts(store: ReadOnlyStore, contextId: number, executions: readonly RunExecution[]): ArtifactSummary[] {
  const pathOf = new Map(executions.map((e) => [e.id, e.path]));
  const rows = store.all<{ id: number; executionId: number; uri: string | null; type: string; key: string | null }>(
    'SELECT A.`id`, V.`execution_id` AS executionId, A.`uri`, T.`name` AS type,' +
      ' (SELECT EP.`step_key` FROM `EventPath` AS EP WHERE EP.`event_id` = V.`id` AND EP.`is_index_step` = 0 LIMIT 1) AS key' +
      ' FROM `Association` AS S JOIN `Event` AS V ON V.`execution_id` = S.`execution_id` AND V.`type` = 4' +
      ' JOIN `Artifact` AS A ON A.`id` = V.`artifact_id` JOIN `Type` AS T ON T.`id` = A.`type_id`' +
      ' WHERE S.`context_id` = ? ORDER BY V.`id`',
    contextId,
  );
  const seen = new Set<number>();
  const artifacts: ArtifactSummary[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    const producerPath = pathOf.get(row.executionId);
    artifacts.push({
      id: row.id,
      type: row.type,
      uri: row.uri ?? '',
      name: row.key ?? '',
      ...(producerPath !== undefined ? { producerPath } : {}),
    });
  }
  return artifacts;
}

/** A cheap fingerprint of the run's executions: changes whenever one is added or changes state. */
export function runVersion(store: ReadOnlyStore, runId: string): string | undefined {
  const context = findRunContext(store, runId);
  if (!context) return undefined;
  const row = store.get<{ n: number; t: number | null; s: number | null }>(
    'SELECT COUNT(*) AS n, MAX(E.`last_update_time_since_epoch`) AS t, SUM(E.`last_known_state` * E.`id`) AS s' +
      ' FROM `Association` AS S JOIN `Execution` AS E ON E.`id` = S.`execution_id` WHERE S.`context_id` = ?',
    context.contextId,
  );
  return `${row?.n}:${row?.t}:${row?.s}`;
}
