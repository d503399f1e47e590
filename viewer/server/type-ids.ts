/**
 * The Type ids the viewer's queries filter on, looked up by name per snapshot (a running pipeline may
 * register a type at any moment; a missing type means no row of it exists yet).
 */
import type { ReadOnlyStore } from './read-only-store';

export interface TypeIds {
  readonly run?: number;
  readonly pipeline?: number;
  readonly experiment?: number;
  readonly dag?: number;
  readonly metrics?: number;
}

const names = {
  run: ['system.PipelineRun', 2],
  pipeline: ['system.Pipeline', 2],
  experiment: ['system.Experiment', 2],
  dag: ['system.DAGExecution', 0],
  metrics: ['system.Metrics', 1],
} as const;

export function typeIds(store: ReadOnlyStore): TypeIds {
  const rows = store.all<{ id: number; name: string; type_kind: number }>(
    'SELECT `id`, `name`, `type_kind` FROM `Type` WHERE `version` IS NULL AND `name` IN (?, ?, ?, ?, ?)',
    ...Object.values(names).map(([name]) => name),
  );
  const ids: Record<string, number> = {};
  for (const [key, [name, kind]] of Object.entries(names)) {
    const row = rows.find((r) => r.name === name && r.type_kind === kind);
    if (row) ids[key] = row.id;
  }
  return ids;
}
