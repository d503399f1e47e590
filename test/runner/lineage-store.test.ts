import { pipeline, t } from '../../compiler';
import { makeDataset, trainModel } from './fixtures/components';
import { query, run, tempWorkspace } from './support';

describe('an independent check of the metadata store', () => {
  it('is an MLMD v10 store whose lineage walks from the model back to the dataset that trained it', async () => {
    const workspace = tempWorkspace();
    const p = pipeline({ name: 'lineage', params: { rows: t.int({ default: 3 }) } }, ({ rows }) => {
      const data = makeDataset({ rows });
      return { model: trainModel({ data: data.outputs.data }).outputs.model };
    });
    const result = await run(p, workspace);
    const file = workspace.metadataFile;

    expect(query(file, 'SELECT schema_version FROM MLMDEnv')).toEqual([{ schema_version: 10 }]);
    const tables = query<{ name: string }>(
      file,
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    expect(tables.map((r) => r.name)).toEqual(
      [
        'Artifact',
        'ArtifactProperty',
        'Association',
        'Attribution',
        'Context',
        'ContextProperty',
        'Event',
        'EventPath',
        'Execution',
        'ExecutionProperty',
        'MLMDEnv',
        'ParentContext',
        'ParentType',
        'Type',
        'TypeProperty',
      ].sort(),
    );

    const modelId = result.artifacts['model']![0]!.id;
    const OUTPUT = 4;
    const INPUT = 3;
    const [producer] = query<{ execution_id: number; key: string }>(
      file,
      `SELECT e.execution_id, p.step_key AS key FROM Event e JOIN EventPath p ON p.event_id = e.id
        WHERE e.artifact_id = ? AND e.type = ?`,
      modelId,
      OUTPUT,
    );
    expect(producer!.key).toBe('model');
    const inputs = query<{ uri: string; type: string; key: string }>(
      file,
      `SELECT a.uri, t.name AS type, p.step_key AS key FROM Event e
         JOIN EventPath p ON p.event_id = e.id
         JOIN Artifact a ON a.id = e.artifact_id
         JOIN Type t ON t.id = a.type_id
        WHERE e.execution_id = ? AND e.type = ?`,
      producer!.execution_id,
      INPUT,
    );
    expect(inputs).toEqual([{ uri: `${result.runRoot}/make-dataset/data`, type: 'system.Dataset', key: 'data' }]);
    const [datasetProducer] = query<{ task: string }>(
      file,
      `SELECT p.string_value AS task FROM Event e
         JOIN ExecutionProperty p ON p.execution_id = e.execution_id AND p.name = 'task_name'
         JOIN Artifact a ON a.id = e.artifact_id
        WHERE a.uri = ? AND e.type = ?`,
      inputs[0]!.uri,
      OUTPUT,
    );
    expect(datasetProducer!.task).toBe('make-dataset');
    const contexts = query<{ type: string; name: string }>(
      file,
      'SELECT t.name AS type, c.name FROM Context c JOIN Type t ON t.id = c.type_id ORDER BY c.id',
    );
    expect(contexts).toEqual([
      { type: 'system.Pipeline', name: 'lineage' },
      { type: 'system.PipelineRun', name: result.runId },
    ]);
  });
});
