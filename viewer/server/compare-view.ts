/**
 * Runs side by side: parameters (with the names whose values differ), outputs, the numeric metrics
 * of each run's system.Metrics artifacts, training curves (Metrics metadata `curves`), ROC points
 * (ClassificationMetrics `confidenceMetrics`) and which tasks were served from the cache.
 */
import type { CompareRun, CompareView } from './api-types';
import { artifactMetadata } from './artifact-view';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';
import type { ReadOnlyStore } from './read-only-store';
import { runView, type SpecCache } from './run-view';
import type { GraphDag } from './api-types';

export const MAX_COMPARED = 10;

export class CompareRequestError extends KfpTsError {
  override readonly name = 'CompareRequestError';
}

export function compareView(store: ReadOnlyStore, roots: readonly string[], specs: SpecCache, runIds: readonly string[]): CompareView {
  if (runIds.length < 2 || runIds.length > MAX_COMPARED)
    throw new CompareRequestError(`compare takes 2 to ${MAX_COMPARED} runs, got ${runIds.length}: pick them on the runs page`);
  const runs = store.snapshot(() =>
    runIds.map((runId): CompareRun => {
      const view = runView(store, roots, specs, runId);
      if (!view) throw new CompareRequestError(`no run '${runId}' in the store`);
      const metrics: Record<string, number> = {};
      let curves: Record<string, number[]> | undefined;
      let roc: { fpr: number; tpr: number }[] | undefined;
      for (const artifact of view.artifacts) {
        if (artifact.type !== 'system.Metrics' && artifact.type !== 'system.ClassificationMetrics') continue;
        const metadata = artifactMetadata(store, artifact.id);
        if (artifact.type === 'system.Metrics') {
          for (const [name, value] of Object.entries(metadata)) if (typeof value === 'number') metrics[name] = value;
          const found = numericSeries(metadata['curves']);
          if (found) curves = found;
        } else if (Array.isArray(metadata['confidenceMetrics'])) {
          roc = (metadata['confidenceMetrics'] as Record<string, unknown>[])
            .map((point) => ({ fpr: Number(point['falsePositiveRate']), tpr: Number(point['recall']) }))
            .filter((point) => Number.isFinite(point.fpr) && Number.isFinite(point.tpr));
        }
      }
      const tasks = leafTasks(view.graph);
      return {
        runId,
        pipeline: view.pipeline,
        state: view.state,
        parameters: view.parameters,
        outputs: view.outputs,
        metrics,
        ...(curves ? { curves } : {}),
        ...(roc ? { roc } : {}),
        cachedTasks: tasks.filter((t) => t.state === 'cached').map((t) => t.path),
        tasks,
      };
    }),
  );
  const names = new Set(runs.flatMap((run) => Object.keys(run.parameters)));
  const differingParameters = [...names]
    .filter((name) => new Set(runs.map((run) => JSON.stringify(run.parameters[name] ?? null))).size > 1)
    .sort();
  return { runs, differingParameters };
}

/** `curves` as equal-length numeric series (the train step writes `{ epoch: [...], trainLoss: [...], … }`). */
export function numericSeries(value: unknown): Record<string, number[]> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const series: Record<string, number[]> = {};
  for (const [name, list] of Object.entries(value)) {
    if (Array.isArray(list) && list.every((x) => typeof x === 'number')) series[name] = list as number[];
  }
  return Object.keys(series).length ? series : undefined;
}

function leafTasks(dag: GraphDag): { path: string; state: CompareRun['tasks'][number]['state'] }[] {
  return dag.nodes.flatMap((node) => (node.children ? leafTasks(node.children) : [{ path: node.path, state: node.state }]));
}
