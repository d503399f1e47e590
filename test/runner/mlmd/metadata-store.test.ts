import Database from 'better-sqlite3';
import { CACHED_EXECUTION_SQL } from '../../../runner/mlmd/cache-lookup';
import { MetadataStore } from '../../../runner/mlmd/metadata-store';
import { useTempDir } from './temp-dir';
import { defined } from '../../support/defined';

const newFile = useTempDir('mlmd-store');

let file: string;
let store: MetadataStore;
let sql: Database.Database;

beforeEach(() => {
  file = newFile();
  store = MetadataStore.open(file);
  sql = new Database(file, { readonly: true });
});

afterEach(() => {
  sql.close();
  store.close();
});

const all = (query: string, ...params: unknown[]) => sql.prepare(query).all(...params);
const get = (query: string, ...params: unknown[]) => sql.prepare(query).get(...params);

/** The pipeline and run contexts KFP attaches every execution and artifact to. */
function runContexts(pipelineName = 'quickstart', runId = 'run-1') {
  const pipeline = store.getOrCreateContext('system.Pipeline', pipelineName);
  const run = store.getOrCreateContext('system.PipelineRun', runId, {
    namespace: { string: 'local' },
    pipeline_root: { string: `/tmp/root/${pipelineName}/${runId}` },
  });
  store.linkParentContext(run, pipeline);
  return { pipeline, run, both: [pipeline, run] };
}

describe('types', () => {
  it('are registered by name only, after the nine simple types, once per kind', () => {
    const model = store.getOrCreateType('system.Model', 'artifact');
    expect(model).toBe(10);
    expect(store.getOrCreateType('system.Model', 'artifact')).toBe(10);
    expect(store.getOrCreateType('system.Model', 'execution')).toBe(11);
    expect(store.getOrCreateType('system.Pipeline', 'context')).toBe(12);
    expect(all('SELECT id, name, version, type_kind FROM Type WHERE id >= 10')).toEqual([
      { id: 10, name: 'system.Model', version: null, type_kind: 1 },
      { id: 11, name: 'system.Model', version: null, type_kind: 0 },
      { id: 12, name: 'system.Pipeline', version: null, type_kind: 2 },
    ]);
    expect(get('SELECT count(*) AS n FROM TypeProperty')).toEqual({ n: 0 });
  });

  it('created in a transaction that rolls back are not served from the cache afterwards', () => {
    expect(() =>
      store.transaction(() => {
        store.getOrCreateType('system.Dataset', 'artifact');
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(get("SELECT count(*) AS n FROM Type WHERE name = 'system.Dataset'")).toEqual({ n: 0 });
    const id = store.getOrCreateType('system.Dataset', 'artifact');
    expect(get('SELECT name FROM Type WHERE id = ?', id)).toEqual({ name: 'system.Dataset' });
  });
});

describe('contexts', () => {
  it('are get-or-create by type and name, with custom properties and a parent link', () => {
    const { pipeline, run } = runContexts();
    expect(store.getOrCreateContext('system.Pipeline', 'quickstart')).toBe(pipeline);
    expect(all('SELECT id, type_id, name, external_id FROM Context ORDER BY id')).toEqual([
      { id: pipeline, type_id: 10, name: 'quickstart', external_id: null },
      { id: run, type_id: 11, name: 'run-1', external_id: null },
    ]);
    expect(all('SELECT context_id, parent_context_id FROM ParentContext')).toEqual([{ context_id: run, parent_context_id: pipeline }]);
    expect(all('SELECT name, is_custom_property, string_value FROM ContextProperty WHERE context_id = ? ORDER BY name', run)).toEqual([
      { name: 'namespace', is_custom_property: 1, string_value: 'local' },
      { name: 'pipeline_root', is_custom_property: 1, string_value: '/tmp/root/quickstart/run-1' },
    ]);
    const record = store.findContext('system.PipelineRun', 'run-1');
    expect(record).toMatchObject({
      id: run,
      typeName: 'system.PipelineRun',
      name: 'run-1',
      customProperties: { namespace: { string: 'local' } },
    });
    expect(record?.createTime).toBeGreaterThan(1.6e12); // milliseconds, not seconds
    expect(store.findContext('system.PipelineRun', 'nope')).toBeUndefined();
    expect(store.listContexts('system.PipelineRun').map((context) => context.name)).toEqual(['run-1']);
  });

  it('link idempotently and refuse cycles and missing contexts', () => {
    const { pipeline, run } = runContexts();
    store.linkParentContext(run, pipeline);
    expect(get('SELECT count(*) AS n FROM ParentContext')).toEqual({ n: 1 });
    expect(() => store.linkParentContext(pipeline, run)).toThrow(
      `${file}: making context ${run} a parent of context ${pipeline} would create a cycle`,
    );
    expect(() => store.linkParentContext(run, run)).toThrow(/cycle/);
    expect(() => store.linkParentContext(run, 999)).toThrow(`${file}: context 999 does not exist`);
  });
});

describe('artifacts', () => {
  it('are written LIVE with a NULL name, custom properties and an attribution per context', () => {
    const { both } = runContexts();
    const id = store.createArtifact({
      typeName: 'system.Model',
      uri: 'file:///tmp/model',
      customProperties: { display_name: { string: 'model' } },
      contextIds: both,
    });
    expect(
      get(
        'SELECT A.type_id, T.name AS type, A.uri, A.state, A.name, A.external_id FROM Artifact A JOIN Type T ON T.id = A.type_id WHERE A.id = ?',
        id,
      ),
    ).toEqual({
      type_id: 12,
      type: 'system.Model',
      uri: 'file:///tmp/model',
      state: 2,
      name: null,
      external_id: null,
    });
    expect(all('SELECT context_id FROM Attribution WHERE artifact_id = ? ORDER BY context_id', id)).toEqual(
      both.map((context_id) => ({ context_id })),
    );
    expect(store.getArtifact(id)).toMatchObject({
      id,
      typeName: 'system.Model',
      uri: 'file:///tmp/model',
      state: 'LIVE',
      name: null,
      customProperties: { display_name: { string: 'model' } },
    });
    expect(store.findArtifactsByUri('file:///tmp/model').map((artifact) => artifact.id)).toEqual([id]);
    expect(store.findArtifactsByUri('file:///elsewhere')).toEqual([]);
  });

  it('may be created PENDING', () => {
    const id = store.createArtifact({ typeName: 'system.Dataset', uri: 'u', state: 'PENDING', contextIds: [] });
    expect(get('SELECT state FROM Artifact WHERE id = ?', id)).toEqual({ state: 1 });
  });

  it('need existing contexts', () => {
    expect(() => store.createArtifact({ typeName: 'system.Dataset', uri: 'u', contextIds: [42] })).toThrow(
      `${file}: context 42 does not exist`,
    );
    expect(get('SELECT count(*) AS n FROM Artifact')).toEqual({ n: 0 });
  });
});

describe('executions', () => {
  it('are created with a NULL name, INPUT events with one key step, associations and input attributions', () => {
    const { both } = runContexts();
    const data = store.createArtifact({ typeName: 'system.Dataset', uri: 'd', contextIds: [] });
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      customProperties: { display_name: { string: 'train' }, task_name: { string: 'train' } },
      contextIds: both,
      inputs: [{ key: 'train', artifactIds: [data] }],
    });
    const row = get(
      'SELECT E.name, E.last_known_state, E.external_id, T.name AS type, T.type_kind, E.create_time_since_epoch AS c, E.last_update_time_since_epoch AS u FROM Execution E JOIN Type T ON T.id = E.type_id WHERE E.id = ?',
      id,
    ) as Record<string, unknown>;
    expect(row).toMatchObject({ name: null, last_known_state: 2, external_id: null, type: 'system.ContainerExecution', type_kind: 0 });
    expect(row.c).toBe(row.u);
    expect(all('SELECT artifact_id, execution_id, type FROM Event')).toEqual([{ artifact_id: data, execution_id: id, type: 3 }]);
    expect(all('SELECT P.is_index_step, P.step_index, P.step_key FROM EventPath P JOIN Event V ON V.id = P.event_id')).toEqual([
      { is_index_step: 0, step_index: null, step_key: 'train' },
    ]);
    expect(get('SELECT typeof(milliseconds_since_epoch) AS t, milliseconds_since_epoch > 1600000000000 AS ms FROM Event')).toEqual({
      t: 'integer',
      ms: 1,
    });
    expect(all('SELECT context_id FROM Association WHERE execution_id = ? ORDER BY context_id', id)).toEqual(
      both.map((context_id) => ({ context_id })),
    );
    expect(all('SELECT context_id FROM Attribution WHERE artifact_id = ? ORDER BY context_id', data)).toEqual(
      both.map((context_id) => ({ context_id })),
    );
  });

  it('keep a given name (the root DAG’s run/<runId>) unique per type', () => {
    const id = store.createExecution({ typeName: 'system.DAGExecution', name: 'run/run-1', state: 'RUNNING', contextIds: [] });
    expect(get('SELECT name FROM Execution WHERE id = ?', id)).toEqual({ name: 'run/run-1' });
    expect(() => store.createExecution({ typeName: 'system.DAGExecution', name: 'run/run-1', state: 'RUNNING', contextIds: [] })).toThrow(
      `a system.DAGExecution execution named 'run/run-1' already exists (id ${id})`,
    );
  });

  it('are published with a new state, upserted properties, OUTPUT events and output attributions', () => {
    const { both } = runContexts();
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      customProperties: { display_name: { string: 'train' } },
      contextIds: both,
    });
    const model = store.createArtifact({ typeName: 'system.Model', uri: 'm', contextIds: [] });
    const metrics = store.createArtifact({ typeName: 'system.Metrics', uri: 'x', contextIds: [] });
    store.updateExecution(id, {
      state: 'COMPLETE',
      customProperties: { outputs: { struct: { Output: 'ok' } }, display_name: { string: 'renamed' } },
      outputs: [
        { key: 'model', artifactIds: [model] },
        { key: 'metrics', artifactIds: [metrics] },
      ],
      contextIds: both,
    });
    expect(
      get('SELECT last_known_state, last_update_time_since_epoch >= create_time_since_epoch AS later FROM Execution WHERE id = ?', id),
    ).toEqual({ last_known_state: 3, later: 1 });
    expect(
      all(
        'SELECT V.artifact_id, V.type, P.step_key FROM Event V JOIN EventPath P ON P.event_id = V.id WHERE V.execution_id = ? ORDER BY V.id',
        id,
      ),
    ).toEqual([
      { artifact_id: model, type: 4, step_key: 'model' },
      { artifact_id: metrics, type: 4, step_key: 'metrics' },
    ]);
    expect(get('SELECT count(*) AS n FROM Attribution WHERE artifact_id IN (?, ?)', model, metrics)).toEqual({ n: 4 });
    expect(get('SELECT count(*) AS n FROM Association WHERE execution_id = ?', id)).toEqual({ n: 2 });
    expect(store.getExecution(id)).toMatchObject({
      id,
      typeName: 'system.ContainerExecution',
      name: null,
      state: 'COMPLETE',
      customProperties: { display_name: { string: 'renamed' }, outputs: { struct: { Output: 'ok' } } },
    });
    expect(store.eventsOfExecution(id)).toEqual([
      { artifactId: model, executionId: id, type: 'OUTPUT', key: 'model' },
      { artifactId: metrics, executionId: id, type: 'OUTPUT', key: 'metrics' },
    ]);
    expect(store.eventsOfArtifact(model)).toEqual([{ artifactId: model, executionId: id, type: 'OUTPUT', key: 'model' }]);
    expect(store.executionsInContext(defined(both[1], 'the second context')).map((execution) => execution.id)).toEqual([id]);
  });

  it('change state alone with setExecutionState', () => {
    const id = store.createExecution({ typeName: 'system.ContainerExecution', state: 'RUNNING', contextIds: [] });
    store.setExecutionState(id, 'CANCELED');
    expect(get('SELECT last_known_state FROM Execution WHERE id = ?', id)).toEqual({ last_known_state: 6 });
    expect(() => store.setExecutionState(99, 'FAILED')).toThrow(`${file}: execution 99 does not exist`);
    expect(() => store.setExecutionState(id, 'DONE' as never)).toThrow(/unknown execution state 'DONE'/);
  });

  it('record an artifact bound to two inputs once, under the first name', () => {
    const data = store.createArtifact({ typeName: 'system.Dataset', uri: 'd', contextIds: [] });
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      contextIds: [],
      inputs: [
        { key: 'left', artifactIds: [data] },
        { key: 'right', artifactIds: [data] },
      ],
    });
    expect(store.eventsOfExecution(id)).toEqual([{ artifactId: data, executionId: id, type: 'INPUT', key: 'left' }]);
    expect(get('SELECT count(*) AS n FROM EventPath')).toEqual({ n: 1 });
  });

  it('refuse missing artifacts and executions, writing nothing', () => {
    const { both } = runContexts();
    expect(() =>
      store.createExecution({
        typeName: 'system.ContainerExecution',
        state: 'RUNNING',
        contextIds: both,
        inputs: [{ key: 'a', artifactIds: [77] }],
      }),
    ).toThrow(`${file}: artifact 77 does not exist`);
    expect(get('SELECT count(*) AS n FROM Execution')).toEqual({ n: 0 });
    expect(get('SELECT count(*) AS n FROM Association')).toEqual({ n: 0 });
    expect(() => store.updateExecution(5, { state: 'COMPLETE', contextIds: [] })).toThrow(`${file}: execution 5 does not exist`);
  });
});

describe('transaction()', () => {
  it('groups operations into one commit and rolls all of them back on error', () => {
    const { both } = runContexts();
    expect(() =>
      store.transaction(() => {
        const model = store.createArtifact({ typeName: 'system.Model', uri: 'm', contextIds: both });
        store.createExecution({
          typeName: 'system.ContainerExecution',
          state: 'COMPLETE',
          contextIds: both,
          inputs: [{ key: 'm', artifactIds: [model] }],
        });
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(get('SELECT (SELECT count(*) FROM Artifact) + (SELECT count(*) FROM Execution) + (SELECT count(*) FROM Event) AS n')).toEqual({
      n: 0,
    });
    const result = store.transaction(() => store.createArtifact({ typeName: 'system.Model', uri: 'm', contextIds: both }));
    expect(store.getArtifact(result)?.uri).toBe('m');
  });

  it('keeps the outer work when a nested operation fails and is caught', () => {
    store.transaction(() => {
      store.createArtifact({ typeName: 'system.Model', uri: 'kept', contextIds: [] });
      expect(() => store.createArtifact({ typeName: 'system.Model', uri: 'lost', contextIds: [404] })).toThrow(/does not exist/);
    });
    expect(all('SELECT uri FROM Artifact')).toEqual([{ uri: 'kept' }]);
  });
});

describe('findCachedExecution', () => {
  function taskExecution(contexts: number[], fingerprint: string, state: 'COMPLETE' | 'FAILED' | 'CACHED' | 'RUNNING', output: string) {
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      customProperties: { cache_fingerprint: { string: fingerprint } },
      contextIds: contexts,
    });
    const model = store.createArtifact({ typeName: 'system.Model', uri: output, contextIds: [] });
    store.updateExecution(id, {
      state,
      outputs: [{ key: 'model', artifactIds: [model] }],
      customProperties: { outputs: { struct: { Output: output } } },
      contextIds: contexts,
    });
    return { id, model };
  }

  it('returns the newest COMPLETE execution of the pipeline with that fingerprint, with its outputs', () => {
    const first = runContexts('p', 'r1');
    const older = taskExecution(first.both, 'fp', 'COMPLETE', 'older');
    const newer = taskExecution(first.both, 'fp', 'COMPLETE', 'newer');
    taskExecution(first.both, 'fp', 'FAILED', 'failed');
    taskExecution(first.both, 'fp', 'CACHED', 'cached');
    taskExecution(first.both, 'fp', 'RUNNING', 'running');
    taskExecution(first.both, 'other', 'COMPLETE', 'other');
    const hit = store.findCachedExecution(first.pipeline, 'fp');
    expect(hit?.execution.id).toBe(newer.id);
    expect(hit?.execution.id).not.toBe(older.id);
    expect(hit?.outputArtifacts).toEqual({ model: [newer.model] });
    expect(hit?.outputs).toEqual({ Output: 'newer' });
    expect(hit?.execution.customProperties.cache_fingerprint).toEqual({ string: 'fp' });
  });

  it('groups several artifacts of one output key in recorded order', () => {
    const { pipeline, both } = runContexts();
    const id = store.createExecution({
      typeName: 'system.ContainerExecution',
      state: 'RUNNING',
      customProperties: { cache_fingerprint: { string: 'fp' } },
      contextIds: both,
    });
    const parts = [1, 2, 3].map((n) => store.createArtifact({ typeName: 'system.Dataset', uri: `part-${n}`, contextIds: [] }));
    store.updateExecution(id, { state: 'COMPLETE', outputs: [{ key: 'parts', artifactIds: parts }], contextIds: both });
    expect(store.findCachedExecution(pipeline, 'fp')).toMatchObject({ outputArtifacts: { parts }, outputs: undefined });
  });

  it('is scoped to the pipeline context and misses when nothing matches', () => {
    const a = runContexts('a', 'r1');
    const b = runContexts('b', 'r2');
    taskExecution(a.both, 'fp', 'COMPLETE', 'a');
    expect(store.findCachedExecution(b.pipeline, 'fp')).toBeUndefined();
    expect(store.findCachedExecution(a.pipeline, 'nope')).toBeUndefined();
    expect(store.findCachedExecution(a.pipeline, 'fp')?.outputs).toEqual({ Output: 'a' });
  });

  it('looks the fingerprint up through the partial string index', () => {
    const plan = all(`EXPLAIN QUERY PLAN ${CACHED_EXECUTION_SQL}`, 1, 'fp', 3) as { detail: string }[];
    expect(plan[0]?.detail).toMatch(
      /^SEARCH P USING (COVERING )?INDEX idx_execution_property_string \(name=\? AND is_custom_property=\? AND string_value=\?\)/,
    );
  });
});
