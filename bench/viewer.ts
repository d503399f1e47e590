/**
 * `npm run bench:viewer`: the viewer's API on a large store. Builds an ML Metadata store with 1,000
 * runs (each with a root DAG execution, a task and a system.Metrics artifact) and one run of 3,000
 * tasks with its IR, then times, over HTTP against a running viewer, the runs page
 * (GET /api/runs, 50 rows with two metric columns) and the run page (GET /api/runs/ID, the
 * 3,000-node graph), each against plain SQL reading the same rows from the same file. Medians of
 * several runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { MetadataStore } from '../runner/mlmd/metadata-store';
import { RUN_SPEC_FILE } from '../runner/run-records';
import { startViewerServer } from '../viewer/server/viewer-server';

const RUNS = 1000;
const BIG_RUN_TASKS = 3000;
const REPEATS = 21;

function buildStore(folder: string): { metadataFile: string; pipelineRoot: string; bigRunId: string } {
  const metadataFile = path.join(folder, 'metadata.sqlite');
  const pipelineRoot = path.join(folder, 'outputs');
  const store = MetadataStore.open(metadataFile);
  store.transaction(() => {
    const pipelineId = store.getOrCreateContext('system.Pipeline', 'bench');
    for (let i = 0; i < RUNS; i++) {
      const runId = `bench-${String(i).padStart(4, '0')}`;
      const runContext = store.getOrCreateContext('system.PipelineRun', runId, {
        pipeline_root: { string: path.join(pipelineRoot, 'bench', runId) },
      });
      store.linkParentContext(runContext, pipelineId);
      const contextIds = [pipelineId, runContext];
      const root = store.createExecution({
        typeName: 'system.DAGExecution',
        name: `run/${runId}`,
        state: 'RUNNING',
        customProperties: { inputs: { struct: { epochs: i % 7 } } },
        contextIds,
      });
      const task = store.createExecution({
        typeName: 'system.ContainerExecution',
        state: 'RUNNING',
        customProperties: { kfp_ts_task_path: { string: 'train' }, task_name: { string: 'train' }, parent_dag_id: { int: root } },
        contextIds,
      });
      const metrics = store.createArtifact({
        typeName: 'system.Metrics',
        uri: path.join(pipelineRoot, runId, 'metrics'),
        customProperties: { accuracy: { double: i / RUNS }, loss: { double: 1 - i / RUNS } },
        contextIds,
      });
      store.updateExecution(task, { state: 'COMPLETE', outputs: [{ key: 'metrics', artifactIds: [metrics] }], contextIds });
      store.updateExecution(root, { state: i % 10 === 0 ? 'FAILED' : 'COMPLETE', contextIds });
    }
  });
  const bigRunId = 'bench-big';
  const runRoot = path.join(pipelineRoot, 'bench', bigRunId);
  store.transaction(() => {
    const pipelineId = store.getOrCreateContext('system.Pipeline', 'bench');
    const runContext = store.getOrCreateContext('system.PipelineRun', bigRunId, { pipeline_root: { string: runRoot } });
    store.linkParentContext(runContext, pipelineId);
    const contextIds = [pipelineId, runContext];
    const root = store.createExecution({ typeName: 'system.DAGExecution', name: `run/${bigRunId}`, state: 'RUNNING', contextIds });
    for (let i = 0; i < BIG_RUN_TASKS; i++) {
      const name = `task-${i}`;
      store.createExecution({
        typeName: 'system.ContainerExecution',
        state: i % 3 === 0 ? 'CACHED' : 'COMPLETE',
        customProperties: {
          kfp_ts_task_path: { string: name },
          task_name: { string: name },
          display_name: { string: name },
          parent_dag_id: { int: root },
        },
        contextIds,
      });
    }
    store.updateExecution(root, { state: 'COMPLETE', contextIds });
  });
  store.close();
  // The IR the runner would have written: a chain of ten-task layers.
  const tasks = Object.fromEntries(
    Array.from({ length: BIG_RUN_TASKS }, (_, i) => [
      `task-${i}`,
      { taskInfo: { name: `task-${i}` }, componentRef: { name: 'comp-step' }, ...(i >= 10 ? { dependentTasks: [`task-${i - 10}`] } : {}) },
    ]),
  );
  fs.mkdirSync(runRoot, { recursive: true });
  fs.writeFileSync(
    path.join(runRoot, RUN_SPEC_FILE),
    JSON.stringify({
      pipelineInfo: { name: 'bench' },
      root: { dag: { tasks } },
      components: { 'comp-step': { executorLabel: 'exec-step' } },
      deploymentSpec: { executors: { 'exec-step': { container: { image: 'node:20-slim', command: ['true'] } } } },
      schemaVersion: '2.1.0',
      sdkVersion: 'kfp-ts',
    }),
  );
  return { metadataFile, pipelineRoot, bigRunId };
}

/**
 * Medians of the API call and of its plain-SQL baseline, measured in alternation so both see the
 * same load on a shared machine.
 */
async function medians(repeats: number, api: () => Promise<unknown>, sql: () => unknown): Promise<[number, number]> {
  // Warm: statement preparation, the IR parse cache, and the JIT (the first rows measured would pay for it).
  for (let i = 0; i < 5; i++) {
    await api();
    sql();
  }
  const apiTimes: number[] = [];
  const sqlTimes: number[] = [];
  for (let i = 0; i < repeats; i++) {
    let start = performance.now();
    await api();
    apiTimes.push(performance.now() - start);
    start = performance.now();
    sql();
    sqlTimes.push(performance.now() - start);
  }
  const median = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return [median(apiTimes), median(sqlTimes)];
}

async function main(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-viewer-'));
  try {
    const built = performance.now();
    const { metadataFile, pipelineRoot, bigRunId } = buildStore(folder);
    console.log(`store: ${RUNS} runs + one run of ${BIG_RUN_TASKS} tasks, built in ${Math.round(performance.now() - built)} ms`);
    const server = await startViewerServer({ metadataFile, pipelineRoots: [pipelineRoot], stateDir: folder });
    const db = new Database(metadataFile, { readonly: true });
    try {
      const get = async (route: string) => {
        const response = await fetch(server.url + route.replace(/^\//, ''));
        if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      // Plain SQL reading the same rows and columns the API answers with, each query written the
      // fastest way (type ids known, rows as arrays): what the page would cost with no server at all.
      const typeId = (name: string) => (db.prepare('SELECT id FROM Type WHERE name = ?').get(name) as { id: number }).id;
      const [runType, pipelineType, dagType, metricsType] = [
        'system.PipelineRun',
        'system.Pipeline',
        'system.DAGExecution',
        'system.Metrics',
      ].map(typeId);
      const runsSql = db
        .prepare(
          'SELECT C.id, C.name, C.create_time_since_epoch,' +
            ' (SELECT P.name FROM ParentContext PC JOIN Context P ON P.id = PC.parent_context_id WHERE PC.context_id = C.id AND P.type_id = @pipelineType) AS pipeline,' +
            // The bench has no experiments; the query still looks for them as the API does (parent context, or association).
            ' COALESCE((SELECT P.name FROM ParentContext PC JOIN Context P ON P.id = PC.parent_context_id WHERE PC.context_id = C.id AND P.type_id = -1),' +
            '  (SELECT X.name FROM Association S JOIN Context X ON X.id = S.context_id WHERE S.execution_id = E.id AND X.type_id = -1)) AS experiment,' +
            ' E.last_known_state, E.create_time_since_epoch, E.last_update_time_since_epoch' +
            " FROM Context C LEFT JOIN Execution E ON E.type_id = @dagType AND E.name = 'run/' || C.name WHERE C.type_id = @runType" +
            ' ORDER BY C.create_time_since_epoch DESC, C.id DESC LIMIT 50 OFFSET @offset',
        )
        .raw(true);
      const countSql = db.prepare('SELECT COUNT(*) FROM Context WHERE type_id = ?').raw(true);
      const failedSql = db
        .prepare(
          "SELECT C.id, C.name FROM Context C JOIN Execution E ON E.type_id = @dagType AND E.name = 'run/' || C.name" +
            ' WHERE C.type_id = @runType AND E.last_known_state = 4 ORDER BY C.create_time_since_epoch DESC, C.id DESC LIMIT 50',
        )
        .raw(true);
      const metricsSql = db
        .prepare(
          'SELECT AT.context_id, AP.name, AP.double_value FROM Attribution AT CROSS JOIN Artifact A ON A.id = AT.artifact_id' +
            " CROSS JOIN ArtifactProperty AP ON AP.artifact_id = A.id AND AP.name IN ('accuracy', 'loss') AND AP.is_custom_property = 1" +
            ' WHERE AT.context_id IN (SELECT value FROM json_each(?)) AND A.type_id = ?',
        )
        .raw(true);
      const runContextSql = db.prepare('SELECT id FROM Context WHERE type_id = ? AND name = ?').raw(true);
      // Each execution with its task path; the properties that place the run's DAG executions (none here, still asked).
      const executionsSql = db
        .prepare(
          'SELECT E.id, E.type_id, E.last_known_state, E.create_time_since_epoch, E.last_update_time_since_epoch, E.name,' +
            " (SELECT P.string_value FROM ExecutionProperty P WHERE P.execution_id = E.id AND P.name = 'kfp_ts_task_path' AND P.is_custom_property = 1)" +
            ' FROM Association S JOIN Execution E ON E.id = S.execution_id WHERE S.context_id = ?',
        )
        .raw(true);
      const placingSql = db
        .prepare(
          'SELECT P.execution_id, P.name, COALESCE(P.int_value, P.string_value) FROM Association S JOIN Execution E ON E.id = S.execution_id AND (E.type_id = ? OR E.last_known_state = 6)' +
            " JOIN ExecutionProperty P ON P.execution_id = E.id AND P.is_custom_property = 1 AND P.name IN ('task_name', 'parent_dag_id', 'iteration_index') WHERE S.context_id = ?",
        )
        .raw(true);
      const failedCountSql = db
        .prepare(
          "SELECT COUNT(*) FROM Context C JOIN Execution E ON E.type_id = @dagType AND E.name = 'run/' || C.name WHERE C.type_id = @runType AND E.last_known_state = 4",
        )
        .raw(true);
      const rootIoSql = db
        .prepare(
          "SELECT P.name, P.string_value FROM Execution E JOIN ExecutionProperty P ON P.execution_id = E.id AND P.name IN ('inputs', 'outputs') WHERE E.type_id = ? AND E.name = ?",
        )
        .raw(true);
      const outputsSql = db
        .prepare(
          'SELECT A.id, A.uri, A.type_id FROM Association S JOIN Event V ON V.execution_id = S.execution_id AND V.type = 4 JOIN Artifact A ON A.id = V.artifact_id WHERE S.context_id = ?',
        )
        .raw(true);
      const sqlRunPage = () => {
        const [contextId] = runContextSql.get(runType, bigRunId) as [number];
        return [
          executionsSql.all(contextId),
          placingSql.all(dagType, contextId),
          rootIoSql.all(dagType, `run/${bigRunId}`),
          outputsSql.all(contextId),
        ];
      };
      const sqlRunsPage = (offset: number, metrics: boolean) => {
        const runs = runsSql.all({ pipelineType, dagType, runType, offset }) as [number][];
        return [countSql.get(runType), metrics ? metricsSql.all(JSON.stringify(runs.map((r) => r[0])), metricsType) : []];
      };
      // Warm the server as a whole first (JIT, the HTTP client's pool): otherwise the first row pays it.
      for (let i = 0; i < 30; i++) await Promise.all([get('/api/runs?limit=50&metrics=accuracy'), get(`/api/runs/${bigRunId}`)]);
      const rows: [string, number, number][] = [
        [
          'runs page: 50 of 1,000 runs + 2 metrics (offset 500)',
          ...(await medians(
            REPEATS,
            () => get('/api/runs?limit=50&offset=500&metrics=accuracy,loss'),
            () => sqlRunsPage(500, true),
          )),
        ],
        [
          'runs page: 50 of 1,000 runs, no metrics (offset 0)',
          ...(await medians(
            REPEATS,
            () => get('/api/runs?limit=50'),
            () => sqlRunsPage(0, false),
          )),
        ],
        [
          'runs page filtered: state=FAILED',
          ...(await medians(
            REPEATS,
            () => get('/api/runs?limit=50&state=FAILED'),
            () => [failedSql.all({ dagType, runType }), failedCountSql.get({ dagType, runType })],
          )),
        ],
        [`run page: ${BIG_RUN_TASKS}-task run with its graph`, ...(await medians(REPEATS, () => get(`/api/runs/${bigRunId}`), sqlRunPage))],
        // What any answer costs: an HTTP round trip (fetch in this process) for the page's cached CSS.
        [
          'HTTP floor: GET /app.css (no store access)',
          ...(await medians(
            REPEATS,
            () => fetch(`${server.url}app.css`).then((r) => r.text()),
            () => undefined,
          )),
        ],
      ];
      console.log(`\nmedian of ${REPEATS} (ms)                              viewer API    plain SQL    ratio`);
      for (const [name, api, sql] of rows) {
        const baseline =
          sql > 0.01 ? `${sql.toFixed(2).padStart(12)} ${(api / sql).toFixed(1).padStart(8)}x` : `${'-'.padStart(12)} ${'-'.padStart(9)}`;
        console.log(`${name.padEnd(52)} ${api.toFixed(2).padStart(10)} ${baseline}`);
      }
    } finally {
      db.close();
      await server.close();
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
