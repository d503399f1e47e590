import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { localPathForGcsUri } from '../../../vertex/emulator/local-job-execution';
import { PipelineServiceEmulator } from '../../../vertex/emulator/pipeline-service-emulator';
import { cli, emulatorForTests, projectRoot } from '../support';

// End to end: `kfp-ts submit --endpoint` sends the real client's request to the emulator, which runs the IR it received with the local runner.
const emulator = emulatorForTests({ execute: true });
const target = () => [
  '--project',
  'my-project',
  '--region',
  'us-central1',
  '--endpoint',
  emulator.current.endpoint,
  '--pipeline-root',
  'gs://local-bucket/runs',
];

function taskStates(jobId: string): Record<string, string> {
  const detail = emulator.current.job(jobId)!.resource['jobDetail'] as { taskDetails: { taskName: string; state: string }[] };
  return Object.fromEntries(detail.taskDetails.map((t) => [t.taskName, t.state]));
}

describe('the emulator runs submitted jobs with the local runner', () => {
  it('runs pipelines/word-stats.ts end to end with the submitted parameter, and --wait exits 0', async () => {
    const { code, stdout, stderr } = await cli(
      'submit',
      'pipelines/word-stats.ts',
      ...target(),
      '--param',
      'minimumWords=3',
      '--job-id',
      'word-stats-e2e',
      '--wait',
      '--poll-interval',
      '0.1',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('job RUNNING\n');
    expect(stdout).toContain('  task sum-counts: SUCCEEDED\n');
    expect(stdout).toMatch(/job SUCCEEDED\nPipeline job word-stats-e2e SUCCEEDED\n$/);
    expect(taskStates('word-stats-e2e')).toEqual({
      'write-corpus': 'SUCCEEDED',
      ...Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`for-loop-2/${i}/count-letter`, 'SUCCEEDED'])),
      'sum-counts': 'SUCCEEDED',
      'condition-3/write-report': 'SUCCEEDED', // minimumWords=3 took effect: the default (10) would skip the report
    });
    // The outputs went where the gs:// pipeline root maps locally.
    const root = localPathForGcsUri('gs://local-bucket/runs/word-stats', emulator.current.workDir);
    const [runFolder] = fs.readdirSync(root);
    expect(fs.readFileSync(path.join(root, runFolder!, 'sum-counts', 'total'), 'utf8')).toBe('23');
  });

  it('executes the caching override it received: the same job again is all cache hits, with --disable-caching none', async () => {
    const cached = await cli(
      'submit',
      'pipelines/word-stats.ts',
      ...target(),
      '--param',
      'minimumWords=3',
      '--job-id',
      'word-stats-cached',
      '--enable-caching',
      '--wait',
      '--poll-interval',
      '0.1',
    );
    expect(cached.code).toBe(0);
    expect(Object.values(taskStates('word-stats-cached'))).toEqual(Array(8).fill('SKIPPED'));
    const uncached = await cli(
      'submit',
      'pipelines/word-stats.ts',
      ...target(),
      '--param',
      'minimumWords=3',
      '--job-id',
      'word-stats-uncached',
      '--disable-caching',
      '--wait',
      '--poll-interval',
      '0.1',
    );
    expect(uncached.code).toBe(0);
    expect(Object.values(taskStates('word-stats-uncached'))).toEqual(Array(8).fill('SUCCEEDED'));
  });

  it('a failing task fails the job: --wait prints the task error and exits 1', async () => {
    const { code, stdout, stderr } = await cli(
      'submit',
      'test/vertex/fixtures/failing-pipeline.ts',
      ...target(),
      '--job-id',
      'failing-e2e',
      '--wait',
      '--poll-interval',
      '0.1',
    );
    expect(code).toBe(1);
    expect(stdout).toContain('  task step: SUCCEEDED\n');
    expect(stdout).toContain("  task step-2: FAILED: exited with code 3\njob FAILED: task 'step-2' failed: exited with code 3\n");
    expect(stderr).toBe('Pipeline job failing-e2e FAILED\n');
    const info = await cli(
      'jobs',
      'get',
      'failing-e2e',
      '--project',
      'my-project',
      '--region',
      'us-central1',
      '--endpoint',
      emulator.current.endpoint,
    );
    expect(info.stdout).toMatch(/step-2\s+FAILED/);
  });
});

describe('the work folder', () => {
  it('stop() deletes the temporary folder the emulator made, and keeps a folder it was given', async () => {
    const made = await PipelineServiceEmulator.start({ execute: false });
    expect(made.workDir.startsWith(os.tmpdir())).toBe(true);
    fs.writeFileSync(path.join(made.workDir, 'left-behind'), 'x');
    await made.stop();
    expect(fs.existsSync(made.workDir)).toBe(false);

    const given = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-emulator-given-'));
    try {
      const emulator = await PipelineServiceEmulator.start({ execute: false, workDir: given });
      await emulator.stop();
      expect(fs.existsSync(given)).toBe(true);
    } finally {
      fs.rmSync(given, { recursive: true, force: true });
    }
  });
});

describe('kfp-ts emulator', () => {
  let child: ChildProcess | undefined;
  let workDir: string | undefined;
  afterEach(() => {
    child?.kill('SIGTERM');
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('starts standalone on a free port and serves submissions until stopped', async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-emulator-cli-'));
    child = spawn(process.execPath, ['cli/bin/kfp-ts.js', 'emulator', '--port', '0', '--work-dir', workDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    const endpoint = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child!.on('exit', (code) => reject(new Error(`the emulator exited with ${code}: ${output}`)));
    });
    const { code } = await cli(
      'submit',
      'pipelines/word-stats.ts',
      '--project',
      'my-project',
      '--region',
      'us-central1',
      '--pipeline-root',
      'gs://b-standalone/root',
      '--endpoint',
      endpoint,
      '--job-id',
      'standalone',
      '--wait',
      '--poll-interval',
      '0.1',
    );
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(workDir, 'metadata.sqlite'))).toBe(true);
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/job projects\/my-project\/locations\/us-central1\/pipelineJobs\/standalone: local run \S+ SUCCEEDED/);
  });
});
