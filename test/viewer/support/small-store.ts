/**
 * A small ML Metadata store written through the runner's store API, as the runner lays a run out:
 * one run of pipeline `demo` with a root DAG execution and a `train` task whose folder holds its
 * executor log, an HTML report, a Metrics artifact and a SlicedClassificationMetrics artifact.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { slicedClassificationMetricsOf } from '../../../compiler';
import { MetadataStore, metadataToProperties } from '../../../runner/mlmd/metadata-store';
import { RUN_SPEC_FILE } from '../../../runner/run-records';

export interface SmallStore {
  readonly metadataFile: string;
  readonly pipelineRoot: string;
  readonly runId: string;
  readonly runRoot: string;
  readonly taskExecutionId: number;
  readonly ids: { readonly html: number; readonly metrics: number; readonly sliced: number; readonly folder: number };
  /** The sliced artifact's metadata as the DSL wrote it. */
  readonly slicedMetadata: Record<string, unknown>;
}

export function writeSmallStore(folder: string, options: { log?: Buffer | string; runId?: string } = {}): SmallStore {
  const metadataFile = path.join(folder, 'metadata.sqlite');
  const pipelineRoot = path.join(folder, 'outputs');
  const runId = options.runId ?? 'demo-run-1';
  const runRoot = path.join(pipelineRoot, 'demo', runId);
  const taskDir = path.join(runRoot, 'train');
  fs.mkdirSync(path.join(taskDir, 'model'), { recursive: true });
  fs.writeFileSync(path.join(taskDir, 'executor.log'), options.log ?? 'epoch 1\nepoch 2\n');
  fs.writeFileSync(path.join(taskDir, 'report.html'), '<h1>report</h1><script>parent.stolen = 1</script>');
  fs.writeFileSync(path.join(taskDir, 'model', 'model.json'), '{"format":"layers-model"}');
  fs.writeFileSync(
    path.join(runRoot, RUN_SPEC_FILE),
    JSON.stringify({
      pipelineInfo: { name: 'demo' },
      root: { dag: { tasks: { train: { taskInfo: { name: 'train' }, componentRef: { name: 'comp-train' } } } } },
      components: { 'comp-train': { executorLabel: 'exec-train' } },
      deploymentSpec: { executors: { 'exec-train': { container: { image: 'node:20-slim', command: ['true'] } } } },
      schemaVersion: '2.1.0',
      sdkVersion: 'kfp-ts',
    }),
  );
  const sliced = { metadata: {} as Record<string, unknown> };
  slicedClassificationMetricsOf(sliced)
    .slice('country=US')
    .logConfusionMatrix(
      ['cat', 'dog'],
      [
        [5, 1],
        [2, 7],
      ],
    )
    .logRocDataPoints([
      { fpr: 0, tpr: 0, threshold: 1 },
      { fpr: 0.2, tpr: 0.8, threshold: 0.5 },
      { fpr: 1, tpr: 1, threshold: 0 },
    ]);
  slicedClassificationMetricsOf(sliced)
    .slice('country=FR')
    .logConfusionMatrix(
      ['cat', 'dog'],
      [
        [3, 0],
        [1, 4],
      ],
    );
  const store = MetadataStore.open(metadataFile);
  try {
    return store.transaction(() => {
      const pipelineId = store.getOrCreateContext('system.Pipeline', 'demo');
      const runContext = store.getOrCreateContext('system.PipelineRun', runId, { pipeline_root: { string: runRoot } });
      store.linkParentContext(runContext, pipelineId);
      const contextIds = [pipelineId, runContext];
      const root = store.createExecution({
        typeName: 'system.DAGExecution',
        name: `run/${runId}`,
        state: 'RUNNING',
        customProperties: { inputs: { struct: { epochs: 2 } } },
        contextIds,
      });
      const task = store.createExecution({
        typeName: 'system.ContainerExecution',
        state: 'RUNNING',
        customProperties: { kfp_ts_task_path: { string: 'train' }, task_name: { string: 'train' }, parent_dag_id: { int: root } },
        contextIds,
      });
      const artifact = (typeName: string, uri: string, metadata: Record<string, unknown> = {}) =>
        store.createArtifact({ typeName, uri, customProperties: metadataToProperties(metadata), contextIds });
      const ids = {
        html: artifact('system.HTML', path.join(taskDir, 'report.html')),
        metrics: artifact('system.Metrics', path.join(taskDir, 'metrics'), { accuracy: 0.75 }),
        sliced: artifact('system.SlicedClassificationMetrics', path.join(taskDir, 'sliced'), sliced.metadata),
        folder: artifact('system.Model', path.join(taskDir, 'model')),
      };
      store.updateExecution(task, {
        state: 'COMPLETE',
        outputs: Object.entries(ids).map(([key, id]) => ({ key, artifactIds: [id] })),
        contextIds,
      });
      store.updateExecution(root, { state: 'COMPLETE', contextIds });
      return { metadataFile, pipelineRoot, runId, runRoot, taskExecutionId: task, ids, slicedMetadata: sliced.metadata };
    });
  } finally {
    store.close();
  }
}
