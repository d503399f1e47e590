import * as fs from 'node:fs';
import * as path from 'node:path';
import { longTaskPids, processAlive, tempWorkspace, waitFor } from '../../runner/support';
import { cli, emulatorForTests } from '../support';

// CancelPipelineJob on a job the emulator runs locally stops its running tasks through the runner's cancel.
const emulator = emulatorForTests({ execute: true });
const target = () => ['--project', 'my-project', '--region', 'us-central1', '--endpoint', emulator.current.endpoint];

describe('cancelling a job the emulator runs locally', () => {
  it('stops the running task: CANCELLING, then CANCELLED long before the task would have ended', async () => {
    const scratch = tempWorkspace('kfp-ts-emulator-cancel-').root;
    try {
      const pidDir = path.join(scratch, 'pids');
      const params = ['--param', `marker=${path.join(scratch, 'marker')}`, '--param', `pidDir=${pidDir}`];
      const submitted = await cli(
        'submit',
        'test/runner/fixtures/cancellable-pipeline.ts',
        ...target(),
        '--pipeline-root',
        'gs://local-bucket/runs',
        ...params,
        '--job-id',
        'cancel-e2e',
      );
      expect(submitted.stderr).toBe('');
      expect(submitted.code).toBe(0);
      const pids = await longTaskPids(pidDir);
      const job = emulator.current.job('cancel-e2e')!;
      // Every state the job takes (the first Get after the cancel may already find it CANCELLED).
      const states: string[] = [];
      const setState = job.setState.bind(job);
      job.setState = (state: string) => (states.push(state), setState(state));
      const asked = Date.now();

      const cancel = await cli('jobs', 'cancel', 'cancel-e2e', ...target(), '--wait', '--poll-interval', '0.1');
      expect(cancel.stdout).toContain('  task exit-handler-1/long: CANCELLED: the run was cancelled\n');
      expect(cancel.stdout).toContain('job CANCELLED: CANCELLED: the job was cancelled\n');
      expect(cancel.code).toBe(1);
      await job.done;
      expect(states).toEqual(['PIPELINE_STATE_CANCELLING', 'PIPELINE_STATE_CANCELLED']);
      // The task sleeps 30 s; without the runner's cancel the job would wait for it.
      expect(Date.now() - asked).toBeLessThan(25_000);
      expect(job.state).toBe('PIPELINE_STATE_CANCELLED');
      const details = (job.resource['jobDetail'] as { taskDetails: { taskName: string; state: string }[] }).taskDetails;
      expect(Object.fromEntries(details.map((t) => [t.taskName, t.state]))).toEqual({
        'exit-handler-1/first': 'SUCCEEDED',
        'exit-handler-1/long': 'CANCELLED',
        notify: 'CANCELLED',
      });
      await waitFor(() => !processAlive(pids.shell) && !processAlive(pids.child), 10_000, 'the task processes to be gone');
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
