// Lineage must be readable without kfp-ts: this walks a store with plain SQL over MLMD's tables only,
// as an MLMD client or a hand-written query would.
import Database from 'better-sqlite3';
import { MetadataStore } from '../../../runner/mlmd/metadata-store';
import { useTempDir } from './temp-dir';

const newFile = useTempDir('mlmd-lineage');

/** quickstart: prepare-data → train-model → evaluate, each output feeding the next task. */
function recordRun(file: string): void {
  const store = MetadataStore.open(file);
  const pipeline = store.getOrCreateContext('system.Pipeline', 'quickstart');
  const run = store.getOrCreateContext('system.PipelineRun', 'run-1');
  store.linkParentContext(run, pipeline);
  const contextIds = [pipeline, run];
  let upstream: { key: string; artifactIds: number[] }[] = [];
  for (const [task, output, type] of [
    ['prepare-data', 'train', 'system.Dataset'],
    ['train-model', 'model', 'system.Model'],
    ['evaluate', 'metrics', 'system.Metrics'],
  ] as const) {
    const execution = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      customProperties: { task_name: { string: task } },
      contextIds,
      inputs: upstream,
    });
    const artifact = store.createArtifact({
      typeName: type,
      uri: `file:///root/quickstart/run-1/${task}/${output}`,
      customProperties: { display_name: { string: output } },
      contextIds: [],
    });
    store.updateExecution(execution, { state: 'COMPLETE', outputs: [{ key: output, artifactIds: [artifact] }], contextIds });
    upstream = [{ key: output, artifactIds: [artifact] }];
  }
  store.close();
}

it('walks from an artifact to the execution that produced it and on to that execution’s inputs', () => {
  const file = newFile();
  recordRun(file);
  const db = new Database(file, { readonly: true });
  try {
    const producerOf = db.prepare(
      `SELECT E.id, T.name AS type, P.string_value AS task, EP.step_key AS output
         FROM Event V
         JOIN EventPath EP ON EP.event_id = V.id AND EP.is_index_step = 0
         JOIN Execution E ON E.id = V.execution_id
         JOIN Type T ON T.id = E.type_id
         JOIN ExecutionProperty P ON P.execution_id = E.id AND P.name = 'task_name' AND P.is_custom_property = 1
        WHERE V.artifact_id = ? AND V.type = 4`,
    );
    const inputsOf = db.prepare(
      `SELECT A.id, A.uri, AT.name AS type, EP.step_key AS input
         FROM Event V
         JOIN EventPath EP ON EP.event_id = V.id AND EP.is_index_step = 0
         JOIN Artifact A ON A.id = V.artifact_id
         JOIN Type AT ON AT.id = A.type_id
        WHERE V.execution_id = ? AND V.type = 3
        ORDER BY V.id`,
    );
    const metrics = db
      .prepare("SELECT A.id FROM Artifact A JOIN Type T ON T.id = A.type_id WHERE T.name = 'system.Metrics' AND T.type_kind = 1")
      .get() as { id: number };

    const chain: string[] = [];
    let artifactId: number | undefined = metrics.id;
    while (artifactId !== undefined) {
      const producer = producerOf.get(artifactId) as { id: number; type: string; task: string; output: string };
      expect(producer.type).toBe('system.ContainerExecution');
      chain.push(`${producer.task}.${producer.output}`);
      const inputs = inputsOf.all(producer.id) as { id: number; uri: string; type: string; input: string }[];
      expect(inputs.length).toBeLessThanOrEqual(1);
      if (inputs[0]) {
        expect(inputs[0].uri).toMatch(new RegExp(`/${inputs[0].input}$`)); // input keyed by the upstream output's name here
        chain.push(`<- ${inputs[0].type} ${inputs[0].uri}`);
      }
      artifactId = inputs[0]?.id;
    }
    expect(chain).toEqual([
      'evaluate.metrics',
      '<- system.Model file:///root/quickstart/run-1/train-model/model',
      'train-model.model',
      '<- system.Dataset file:///root/quickstart/run-1/prepare-data/train',
      'prepare-data.train',
    ]);

    // Every execution belongs to the run, whose parent is the pipeline; every artifact is attributed to both.
    const contextsOf = db.prepare(
      `SELECT T.name AS type, C.name FROM Association S JOIN Context C ON C.id = S.context_id JOIN Type T ON T.id = C.type_id WHERE S.execution_id = ? ORDER BY C.id`,
    );
    expect(contextsOf.all(1)).toEqual([
      { type: 'system.Pipeline', name: 'quickstart' },
      { type: 'system.PipelineRun', name: 'run-1' },
    ]);
    expect(db.prepare('SELECT count(DISTINCT artifact_id) AS artifacts, count(*) AS links FROM Attribution').get()).toEqual({
      artifacts: 3,
      links: 6,
    });
    expect(
      db
        .prepare(
          `SELECT child.name AS child, parent.name AS parent FROM ParentContext L JOIN Context child ON child.id = L.context_id JOIN Context parent ON parent.id = L.parent_context_id`,
        )
        .all(),
    ).toEqual([{ child: 'run-1', parent: 'quickstart' }]);
  } finally {
    db.close();
  }
});
