import { MetadataStore } from '../../runner/mlmd/metadata-store';
import { ExperimentNameError, experimentNameProblem } from '../../runner/experiment-name';
import { experimentRuns } from '../../runner/experiment-runs';
import { runMetrics } from '../../runner/run-metrics';
import metricsPipeline from './fixtures/metrics-pipeline';
import { query, run, tempWorkspace } from './support';

jest.setTimeout(60_000);

describe('experiment names', () => {
  it.each(['abcd', 'image-classifier-tuning', '2024-sweep', 'a'.repeat(128)])('accepts %s as Vertex does', (name) => {
    expect(experimentNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['abc', 'has 3 characters'],
    ['a'.repeat(129), 'has 129 characters'],
    ['My_Experiment', "not a valid name (try 'my-experiment')"],
    ['-leading', 'not a valid name'],
    ['has space', "try 'has-space'"],
  ])('refuses %s: %s', (name, problem) => {
    expect(experimentNameProblem(name)).toContain(problem);
    expect(experimentNameProblem(name)).toContain('4–128 lowercase letters, digits and hyphens');
  });
});

describe('runPipeline({ experiment })', () => {
  const workspace = tempWorkspace();

  it('refuses a bad name before anything is recorded', async () => {
    await expect(run(metricsPipeline, workspace, { experiment: 'Bad Name' })).rejects.toThrow(ExperimentNameError);
  });

  it('makes the run context a child of a system.Experiment context, as Vertex links runs to experiments', async () => {
    const first = await run(metricsPipeline, workspace, { experiment: 'lr-sweep', parameters: { learningRate: 0.25 } });
    const second = await run(metricsPipeline, workspace, { experiment: 'lr-sweep', parameters: { learningRate: 0.4, label: 'bigger' } });
    const other = await run(metricsPipeline, workspace, { parameters: { learningRate: 0.1 } });
    expect([first.state, second.state, other.state]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);

    // Plain SQL: one experiment context, with the two runs (not the third) as its children.
    const links = query<{ run: string; experiment: string }>(
      workspace.metadataFile,
      `SELECT c.name AS run, p.name AS experiment FROM ParentContext pc
         JOIN Context c ON c.id = pc.context_id JOIN Context p ON p.id = pc.parent_context_id
         JOIN Type t ON t.id = p.type_id AND t.name = 'system.Experiment' ORDER BY c.id`,
    );
    expect(links).toEqual([
      { run: first.runId, experiment: 'lr-sweep' },
      { run: second.runId, experiment: 'lr-sweep' },
    ]);
    const marker = query(
      workspace.metadataFile,
      `SELECT cp.name, cp.int_value FROM ContextProperty cp JOIN Context c ON c.id = cp.context_id WHERE c.name = 'lr-sweep'`,
    );
    expect(marker).toEqual([{ name: 'experiment_deleted', int_value: 0 }]);
    // The run keeps its pipeline as a parent too.
    expect(
      query(
        workspace.metadataFile,
        'SELECT COUNT(*) AS n FROM ParentContext WHERE context_id = (SELECT id FROM Context WHERE name = ?)',
        first.runId,
      ),
    ).toEqual([{ n: 2 }]);

    const store = MetadataStore.open(workspace.metadataFile);
    try {
      const runs = experimentRuns(store, 'lr-sweep')!;
      expect(runs.map((r) => [r.runId, r.state, r.parameters, r.metrics])).toEqual([
        [
          first.runId,
          'COMPLETE',
          { learningRate: 0.25, label: 'baseline' },
          { top1: 0.75, ece: 0.0312345, note: 'run baseline', auc: 0.875 },
        ],
        [second.runId, 'COMPLETE', { learningRate: 0.4, label: 'bigger' }, { top1: 0.9, ece: 0.0312345, note: 'run bigger', auc: 0.875 }],
      ]);
      expect(runs[0]!.experiments).toEqual(['lr-sweep']);
      expect(runs[0]!.pipelineName).toBe('metrics-demo');
      expect(experimentRuns(store, 'no-such-experiment')).toBeUndefined();

      // Each scalar with the task and output it came from; structs (the confusion matrix) are not metrics.
      const context = store.findContext('system.PipelineRun', first.runId)!;
      expect(runMetrics(store, context.id).map((m) => `${m.task}/${m.output}:${m.name}=${m.value}`)).toEqual([
        'score/metrics:ece=0.0312345',
        'score/metrics:note=run baseline',
        'score/metrics:top1=0.75',
        'score/cm:auc=0.875',
      ]);
    } finally {
      store.close();
    }
  });

  it('counts a cache hit: the cached run shows the metrics of the artifacts it reused', async () => {
    const options = { parameters: { learningRate: 0.3 }, enableCaching: true };
    await run(metricsPipeline, workspace, options);
    const cached = await run(metricsPipeline, workspace, { ...options, experiment: 'cached-runs' });
    expect(cached.tasks.map((t) => t.state)).toEqual(['cached']);
    const store = MetadataStore.open(workspace.metadataFile);
    try {
      expect(experimentRuns(store, 'cached-runs')![0]!.metrics).toMatchObject({ top1: 0.8, auc: 0.875 });
    } finally {
      store.close();
    }
  });
});
