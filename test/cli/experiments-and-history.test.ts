import * as path from 'node:path';
import { main } from '../../cli/main';
import { tempWorkspace } from '../runner/support';

const root = path.resolve(__dirname, '../..');
const pipelineFile = 'test/runner/fixtures/metrics-pipeline.ts';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: root, isTTY: false });
  return { code, stdout, stderr };
}

const widest = (text: string) => Math.max(...text.split('\n').map((line) => Array.from(line).length));

jest.setTimeout(120_000);

describe('kfp-ts run --experiment, runs and run-info', () => {
  const workspace = tempWorkspace();
  const store = ['--metadata', workspace.metadataFile];
  const runIds: string[] = [];

  beforeAll(async () => {
    for (const [learningRate, label] of [
      ['0.25', 'baseline'],
      ['0.4', 'a-label-long-enough-to-need-cutting-in-a-table-of-one-hundred-columns'],
    ]) {
      const result = await cli(
        'run',
        pipelineFile,
        '--experiment',
        'lr-sweep',
        '--param',
        `learningRate=${learningRate}`,
        '--param',
        `label=${label}`,
        ...store,
        '--pipeline-root',
        workspace.pipelineRoot,
      );
      expect(result.code).toBe(0);
      runIds.push(/as run (\S+)/.exec(result.stdout)![1]!);
    }
    expect((await cli('run', pipelineFile, ...store, '--pipeline-root', workspace.pipelineRoot)).code).toBe(0);
  });

  it('refuses an experiment name Vertex AI would refuse, before running anything', async () => {
    const result = await cli('run', pipelineFile, '--experiment', 'LR_sweep', ...store);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('experiment "LR_sweep" is not a valid name (try \'lr-sweep\')');
  });

  it("lists an experiment's runs with their parameters and metrics, within 100 columns", async () => {
    const { code, stdout } = await cli('runs', '--experiment', 'lr-sweep', ...store);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Experiment lr-sweep: 2 runs\n/);
    // Six parameter and metric columns do not fit beside the run ids whole: one per line instead.
    expect(stdout).toMatch(/run\s+state\s+parameters\s+metrics\n/);
    expect(stdout).toMatch(
      new RegExp(
        `${runIds[0]}\\s+COMPLETE\\s+label=baseline\\s+ece=0\\.03123\\n\\s+learningRate=0\\.25\\s+note=run baseline\\n\\s+top1=0\\.75\\n\\s+auc=0\\.875\\n`,
      ),
    );
    expect(stdout).toMatch(/label=a-label-long-\S*…/); // cut, not dropped
    expect(widest(stdout)).toBeLessThanOrEqual(100);
  });

  it('prints the experiment as JSON, the shape scripts rely on', async () => {
    const { code, stdout } = await cli('runs', '--experiment', 'lr-sweep', '--json', ...store);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.experiment).toBe('lr-sweep');
    expect(parsed.runs).toHaveLength(2);
    expect(parsed.runs[0]).toEqual({
      runId: runIds[0],
      pipelineName: 'metrics-demo',
      state: 'COMPLETE',
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      durationMs: expect.any(Number),
      experiments: ['lr-sweep'],
      parameters: { learningRate: 0.25, label: 'baseline' },
      metrics: { top1: 0.75, ece: 0.0312345, note: 'run baseline', auc: 0.875 },
      taskCounts: { COMPLETE: 1 },
    });
  });

  it('says which experiments exist when one is not found', async () => {
    const { code, stderr } = await cli('runs', '--experiment', 'lr-swep', ...store);
    expect(code).toBe(1);
    expect(stderr).toContain("no experiment 'lr-swep'");
    expect(stderr).toContain('the store has: lr-sweep');
  });

  it('lists every run with its metrics, each line within 100 columns', async () => {
    const { code, stdout } = await cli('runs', ...store);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^run\s+state\s+started\s+time\s+tasks\s+metrics\n/);
    expect(stdout).toMatch(
      new RegExp(`${runIds[0]}\\s+COMPLETE\\s+\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+\\d+\\.\\d s\\s+1 complete\\s+ece=0\\.03123`),
    );
    expect(stdout).toMatch(/\n {20,}top1=0\.75 {2}auc=0\.875\n/); // wrapped between metrics, not cut
    expect(widest(stdout)).toBeLessThanOrEqual(100);
    const json = JSON.parse((await cli('runs', '--json', ...store)).stdout);
    expect(json.runs.map((r: { experiments: string[] }) => r.experiments)).toEqual([['lr-sweep'], ['lr-sweep'], []]);
  });

  it('shows a run with its experiment, parameters, metrics and tasks within 100 columns', async () => {
    const { code, stdout } = await cli('run-info', runIds[1]!, ...store);
    expect(code).toBe(0);
    expect(stdout).toContain(`Run ${runIds[1]} of metrics-demo: COMPLETE in`);
    expect(stdout).toContain('Experiment: lr-sweep');
    expect(stdout).toMatch(/Parameters:\n {2}label\s+a-label-long-enough-to-need-cutting/);
    expect(stdout).toMatch(/Metrics:\n {2}score\s+metrics\s+ece\s+0\.03123\n/);
    expect(stdout).toMatch(/ {2}score\s+metrics\s+top1\s+0\.9\n {2}score\s+cm\s+auc\s+0\.875\n/);
    // Each output artifact on its own line, relative to the run's folder.
    expect(stdout).toMatch(/score\s+COMPLETE\s+\d+\.\d s\s+metrics → #\d+ score\/metrics\n\s+cm → #\d+ score\/cm/);
    expect(widest(stdout)).toBeLessThanOrEqual(100);
  });

  it('prints run-info as JSON, with each metric and where it came from', async () => {
    const { code, stdout } = await cli('run-info', runIds[0]!, '--json', ...store);
    expect(code).toBe(0);
    const info = JSON.parse(stdout);
    expect(info).toMatchObject({
      runId: runIds[0],
      experiments: ['lr-sweep'],
      parameters: { learningRate: 0.25 },
      metrics: { top1: 0.75 },
    });
    expect(info.metricValues).toContainEqual({ task: 'score', output: 'cm', artifactId: expect.any(Number), name: 'auc', value: 0.875 });
    expect(info.tasks).toEqual([
      expect.objectContaining({
        path: 'score',
        type: 'system.ContainerExecution',
        state: 'COMPLETE',
        outputArtifacts: [expect.objectContaining({ key: 'metrics' }), expect.objectContaining({ key: 'cm' })],
      }),
    ]);
    expect(info.pipelineRoot).toBe(path.join(workspace.pipelineRoot, 'metrics-demo', runIds[0]!));
  });
});
