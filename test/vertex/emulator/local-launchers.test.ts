import { compilePipeline, containerComponent, pipeline, t } from '../../../compiler';
import type { IrPipelineSpec } from '../../../compiler/ir/pipeline-spec';
import type { LocalLaunch, LocalLauncher } from '../../../runner/local-launchers';
import { submitPipelineJob } from '../../../vertex/pipeline-jobs';
import { emulatorForTests, fastRetry } from '../support';

// The emulator runs containers that would call a cloud API with the stand-ins it is given
// (`kfp-ts emulator` gives GCPC's), and with none by default: vertex/ knows no stand-ins itself.

const callApi = containerComponent({
  name: 'call-api',
  inputs: { resource: t.string() },
  image: 'example.com/cloud-api:1',
  command: ({ inputs }) => ['call-cloud-api', '--resource', inputs.resource],
});
const spec = compilePipeline(pipeline({ name: 'cloud-call' }, () => void callApi({ resource: 'models/m' }))) as IrPipelineSpec;

const launched: LocalLaunch[] = [];
const standIn: LocalLauncher = {
  description: 'the cloud API, on this machine',
  matches: (container) => container.image === 'example.com/cloud-api:1',
  run: async (launch) => void launched.push(launch),
};

const withStandIn = emulatorForTests({ execute: true, localLaunchers: [standIn] });
const withNone = emulatorForTests({ execute: true, localLaunchers: [] });

async function runJob(emulator: typeof withStandIn, jobId: string): Promise<{ state: string; tasks: Record<string, string> }> {
  const settings = { project: 'my-project', region: 'us-central1', pipelineRoot: 'gs://local-bucket/root', jobId };
  await submitPipelineJob(spec, settings, { endpoint: emulator.current.endpoint, retry: fastRetry });
  const job = emulator.current.job(jobId)!;
  await job.done;
  const details = (job.resource['jobDetail'] as { taskDetails: { taskName: string; state: string }[] }).taskDetails;
  return { state: job.state, tasks: Object.fromEntries(details.map((detail) => [detail.taskName, detail.state])) };
}

describe('the local launchers of an emulator', () => {
  it('runs a matching container with the stand-in it was given, with the argv the container would get', async () => {
    expect(await runJob(withStandIn, 'with-stand-in')).toEqual({ state: 'PIPELINE_STATE_SUCCEEDED', tasks: { 'call-api': 'SUCCEEDED' } });
    expect(launched.map((launch) => launch.argv)).toEqual([['call-cloud-api', '--resource', 'models/m']]);
  });

  it('has none unless given: the container command runs on the host (where there is no such program)', async () => {
    launched.length = 0;
    expect(await runJob(withNone, 'without-stand-in')).toEqual({ state: 'PIPELINE_STATE_FAILED', tasks: { 'call-api': 'FAILED' } });
    expect(launched).toEqual([]);
  });
});
