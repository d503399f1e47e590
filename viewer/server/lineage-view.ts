/**
 * An artifact's lineage: breadth-first over events from the artifact, upstream (the executions that
 * output it, their inputs, …) and downstream (the executions that read it, their outputs, …), up to
 * a depth and a node count so a long-lived store answers quickly.
 */
import type { ArtifactSummary, LineageView } from './api-types';
import { artifactSummary } from './artifact-view';
import type { ReadOnlyStore } from './read-only-store';
import { nodeState } from './run-executions';
import { locateExecution } from './task-view';

const MAX_NODES = 400;

interface EventRow {
  artifact_id: number;
  execution_id: number;
  type: number;
  key: string | null;
}

const eventColumns =
  'SELECT V.`artifact_id`, V.`execution_id`, V.`type`, (SELECT EP.`step_key` FROM `EventPath` AS EP WHERE EP.`event_id` = V.`id` AND EP.`is_index_step` = 0 LIMIT 1) AS key FROM `Event` AS V';

export function lineageView(store: ReadOnlyStore, artifactId: number, depth = 6): LineageView | undefined {
  return store.snapshot(() => {
    if (!artifactSummary(store, artifactId)) return undefined;
    const artifacts = new Map<number, ArtifactSummary>();
    const executions = new Map<number, LineageView['executions'][number]>();
    const edges = new Map<string, LineageView['edges'][number]>();
    let truncated = false;
    const addEdge = (event: EventRow) => {
      const type = event.type === 3 ? 'INPUT' : 'OUTPUT';
      edges.set(`${event.artifact_id}:${event.execution_id}:${type}`, {
        artifactId: event.artifact_id,
        executionId: event.execution_id,
        type,
        key: event.key ?? '',
      });
    };
    const addExecution = (id: number) => {
      if (executions.has(id)) return;
      const row = store.get<{ type: string; state: number | null }>(
        'SELECT T.`name` AS type, E.`last_known_state` AS state FROM `Execution` AS E JOIN `Type` AS T ON T.`id` = E.`type_id` WHERE E.`id` = ?',
        id,
      );
      const location = locateExecution(store, id);
      executions.set(id, {
        executionId: id,
        type: row?.type ?? '?',
        state: nodeState({ mlmdState: row?.state ?? null, properties: {} }, false),
        path: location?.path ?? '',
        ...(location?.runId !== undefined ? { runId: location.runId } : {}),
        key: '',
      });
    };
    const addArtifact = (id: number) => {
      if (!artifacts.has(id)) artifacts.set(id, artifactSummary(store, id)!);
    };
    addArtifact(artifactId);
    // Two walks: upstream follows OUTPUT events back to producers, then their INPUT events; downstream the reverse.
    for (const direction of ['up', 'down'] as const) {
      let frontier = [artifactId];
      for (let level = 0; level < depth && frontier.length > 0; level++) {
        const next: number[] = [];
        for (const artifact of frontier) {
          const viaType = direction === 'up' ? 4 : 3;
          for (const event of store.all<EventRow>(`${eventColumns} WHERE V.\`artifact_id\` = ? AND V.\`type\` = ?`, artifact, viaType)) {
            if (artifacts.size + executions.size >= MAX_NODES) {
              truncated = true;
              break;
            }
            const isNew = !executions.has(event.execution_id);
            addExecution(event.execution_id);
            addEdge(event);
            if (!isNew) continue;
            const otherType = direction === 'up' ? 3 : 4;
            for (const other of store.all<EventRow>(
              `${eventColumns} WHERE V.\`execution_id\` = ? AND V.\`type\` = ?`,
              event.execution_id,
              otherType,
            )) {
              addEdge(other);
              if (!artifacts.has(other.artifact_id)) {
                addArtifact(other.artifact_id);
                next.push(other.artifact_id);
              }
            }
          }
        }
        frontier = next;
        if (level === depth - 1 && next.length > 0) truncated = true;
      }
    }
    return {
      root: artifactId,
      artifacts: [...artifacts.values()],
      executions: [...executions.values()],
      edges: [...edges.values()],
      truncated,
    };
  });
}
