import * as path from 'node:path';
import { main } from '../../cli/main';
import { tempWorkspace } from '../runner/support';

const root = path.resolve(__dirname, '../..');

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: root, isTTY: false });
  return { code, stdout, stderr };
}

describe('kfp-ts run, runs, run-info and lineage', () => {
  const workspace = tempWorkspace();
  const store = ['--metadata', workspace.metadataFile];
  let runId = '';

  it('runs the demo pipeline with typed --param values and prints progress and a summary', async () => {
    const { code, stdout } = await cli(
      'run',
      'pipelines/word-stats.ts',
      '--param',
      'minimumWords=100',
      ...store,
      '--pipeline-root',
      workspace.pipelineRoot,
    );
    expect(code).toBe(0);
    runId = /as run (\S+)/.exec(stdout)![1]!;
    expect(stdout).toMatch(/✓ sum-counts/);
    expect(stdout).toMatch(/○ condition-3\s+condition is false/);
    expect(stdout).toMatch(/task\s+state\s+time/);
    expect(stdout).toContain(`Run ${runId} SUCCEEDED`);
  });

  it('rejects a parameter of the wrong type with exit code 1 and says what to pass', async () => {
    const { code, stderr } = await cli('run', 'pipelines/word-stats.ts', '--param', 'minimumWords=many', ...store);
    expect(code).toBe(1);
    expect(stderr).toContain('parameter \'minimumWords\' must be an int, got "many"');
  });

  it('lists runs and shows one with its tasks and outputs', async () => {
    const runs = await cli('runs', ...store);
    expect(runs.stdout).toMatch(new RegExp(`${runId}\\s+COMPLETE`)); // the run id names its pipeline
    const info = await cli('run-info', runId, ...store);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/\nOutputs:\n {2}vowels {2}23\n/);
    expect(info.stdout).toMatch(/for-loop-2\/4\/count-letter\s+COMPLETE/);
    expect((await cli('run-info', 'nope', ...store)).stderr).toContain("no run 'nope'; list runs with 'kfp-ts runs'");
  });

  it('walks lineage from an artifact to its producer, its inputs and its consumers', async () => {
    const corpus = path.join(workspace.pipelineRoot, 'word-stats', runId, 'write-corpus', 'corpus');
    const { code, stdout } = await cli('lineage', corpus, ...store);
    expect(code).toBe(0);
    expect(stdout).toContain(`system.Dataset ${corpus}`);
    expect(stdout).toContain('produced by write-corpus (system.ContainerExecution, COMPLETE');
    expect(stdout).toContain('consumed by for-loop-2/0/count-letter (system.ContainerExecution, COMPLETE');
    expect((await cli('lineage', '/no/such/artifact', ...store)).code).toBe(1);
  });
});
