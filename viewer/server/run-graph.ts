/**
 * A run's DAG for the page: the shape from the IR the runner ran (its tasks, sub-DAGs, loops and the
 * dependencies the runner schedules by: `dependentTasks` and the producers of task inputs), the
 * states from the run's executions. Loops show one node per iteration that has an execution.
 * Without the IR (runs recorded before the runner kept it) the graph is rebuilt from executions.
 */
import type { IrComponentSpec, IrPipelineSpec, IrPipelineTaskSpec } from '../../compiler/ir/pipeline-spec';
import { isTaskOf, upstreamTasks } from '../../compiler/ir/task-graph';
import type { GraphDag, GraphNode, NodeKind } from './api-types';
import { nodeState, type RunExecution } from './run-executions';

const join = (prefix: string, name: string) => (prefix ? `${prefix}/${name}` : name);

function kindOf(spec: IrPipelineSpec, name: string, task: IrPipelineTaskSpec, component: IrComponentSpec | undefined): NodeKind {
  if (task.parameterIterator || task.artifactIterator) return 'loop';
  if (component?.dag) {
    // The KFP compiler names these sub-DAGs condition-N / condition-branches-N / exit-handler-N.
    if (name.startsWith('exit-handler-')) return 'exit-handler';
    if (name.startsWith('condition-') || task.triggerPolicy?.condition) return 'condition';
    return 'dag';
  }
  const executor = component?.executorLabel ? spec.deploymentSpec?.executors[component.executorLabel] : undefined;
  return executor?.importer ? 'importer' : 'container';
}

export function graphFromSpec(
  spec: IrPipelineSpec,
  byPath: ReadonlyMap<string, RunExecution>,
  all: readonly RunExecution[],
  runRunning: boolean,
): GraphDag {
  const iterationsOf = new Map<string, number[]>();
  for (const execution of all) {
    const index = execution.properties['iteration_index'];
    if (index === undefined) continue;
    const loopPath = execution.path.slice(0, execution.path.lastIndexOf('/') + 1).replace(/\/$/, '');
    const list = iterationsOf.get(loopPath) ?? [];
    if (!list.includes(Number(index))) list.push(Number(index));
    iterationsOf.set(loopPath, list);
  }
  const level = (component: IrComponentSpec, prefix: string, depth: number): GraphDag => {
    const tasks = component.dag?.tasks ?? {};
    const nodes: GraphNode[] = [];
    const edges: [string, string][] = [];
    for (const [name, task] of Object.entries(tasks)) {
      const path = join(prefix, name);
      const child = spec.components?.[task.componentRef.name];
      const kind = kindOf(spec, name, task, child);
      const execution = byPath.get(path);
      let children: GraphDag | undefined;
      if (depth < 32 && child?.dag) {
        if (kind === 'loop') {
          const indexes = (iterationsOf.get(path) ?? []).sort((a, b) => a - b);
          children = {
            nodes: indexes.map((index) => {
              const iterationPath = `${path}/${index}`;
              const iteration = byPath.get(iterationPath);
              return {
                name: String(index),
                label: `${task.taskInfo.name} #${index}`,
                path: iterationPath,
                kind: 'iteration' as const,
                state: nodeState(iteration, runRunning),
                ...(iteration ? { executionId: iteration.id } : {}),
                children: level(child, iterationPath, depth + 1),
              };
            }),
            edges: [],
          };
        } else {
          children = level(child, path, depth + 1);
        }
      }
      nodes.push({
        name,
        ...(task.taskInfo.name !== name ? { label: task.taskInfo.name } : {}),
        path,
        kind,
        state: nodeState(execution, runRunning),
        ...(execution ? { executionId: execution.id } : {}),
        ...(children ? { children } : {}),
      });
      for (const upstream of upstreamTasks(task)) if (isTaskOf(tasks, upstream)) edges.push([upstream, name]);
    }
    return { nodes, edges };
  };
  return level(spec.root, '', 0);
}

/** The graph from executions alone: nesting by parent DAG, no edges, no tasks that never started. */
export function graphFromExecutions(all: readonly RunExecution[], runRunning: boolean): GraphDag {
  const root = all.find((e) => e.name?.startsWith('run/'));
  const childrenOf = new Map<number, RunExecution[]>();
  for (const execution of all) {
    if (execution === root) continue;
    const parent = Number(execution.properties['parent_dag_id']);
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), execution]);
  }
  const level = (parentId: number | undefined, depth: number): GraphDag => ({
    nodes: (parentId === undefined ? [] : (childrenOf.get(parentId) ?? [])).map((execution) => {
      const isIteration = execution.properties['iteration_index'] !== undefined;
      const name = execution.path.split('/').at(-1) ?? String(execution.id);
      const nested = depth < 32 && childrenOf.has(execution.id) ? level(execution.id, depth + 1) : undefined;
      const kind: NodeKind = isIteration
        ? 'iteration'
        : execution.properties['iteration_count'] !== undefined
          ? 'loop'
          : execution.type === 'system.DAGExecution'
            ? name.startsWith('condition-')
              ? 'condition'
              : name.startsWith('exit-handler-')
                ? 'exit-handler'
                : 'dag'
            : execution.type === 'system.ImporterExecution'
              ? 'importer'
              : 'container';
      const label = String(execution.properties['display_name'] ?? name);
      return {
        name,
        ...(label !== name ? { label } : {}),
        path: execution.path,
        kind,
        state: nodeState(execution, runRunning),
        executionId: execution.id,
        ...(nested ? { children: nested } : {}),
      };
    }),
    edges: [],
  });
  return level(root?.id, 0);
}
