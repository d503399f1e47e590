import { closeMetadataServiceClients } from '../../../vertex/metadata-service-client';
import { cli, emulatorForTests, typedPipelineFile } from '../support';

// `kfp-ts submit --experiment` through the real clients against the emulator, which records every
// PipelineService and MetadataService call: the sequence must be the Vertex Python SDK's.
const emulator = emulatorForTests({ execute: false });
const submit = (...extra: string[]) =>
  cli(
    'submit',
    typedPipelineFile,
    '--project',
    'my-project',
    '--region',
    'us-central1',
    '--endpoint',
    emulator.current.endpoint,
    '--pipeline-root',
    'gs://my-bucket/root',
    '--param',
    'message=hi',
    '--poll-interval',
    '0.01',
    ...extra,
  );
const location = 'projects/my-project/locations/us-central1';
const store = `${location}/metadataStores/default`;
const sequence = (from: number) => emulator.current.calls.slice(from).map((c) => c.method);

afterAll(() => closeMetadataServiceClients());

describe('kfp-ts submit --experiment', () => {
  it('creates the metadata store and the experiment, creates the job, then adds its run context to the experiment', async () => {
    emulator.current.scriptNextJob([{ state: 'PIPELINE_STATE_PENDING' }, { state: 'PIPELINE_STATE_RUNNING' }]);
    const { code, stdout, stderr } = await submit('--job-id', 'exp-job-1', '--experiment', 'lr-sweep');
    expect(code).toBe(0);
    expect(stdout).toContain(
      '  experiment: lr-sweep (https://console.cloud.google.com/vertex-ai/experiments/locations/us-central1/experiments/lr-sweep?project=my-project)\n',
    );
    expect(stderr).toContain(`Waiting for ${location}/pipelineJobs/exp-job-1 to start, to add it to the experiment`);
    expect(sequence(0)).toEqual([
      'getMetadataStore', // NOT_FOUND
      'createMetadataStore',
      'getMetadataStore',
      'getContext', // NOT_FOUND
      'createContext',
      'createPipelineJob',
      'getMetadataStore',
      'getContext',
      'getPipelineJob', // PENDING: no run context yet
      'getPipelineJob',
      'addContextChildren',
    ]);
    const [getStore, createStore, , getContext, createContext] = emulator.current.calls.map((c) => c.request);
    expect(getStore).toEqual({ name: store });
    expect(createStore).toEqual({ parent: location, metadataStore: {}, metadataStoreId: 'default' });
    expect(getContext).toEqual({ name: `${store}/contexts/lr-sweep` });
    expect(createContext).toEqual({
      parent: store,
      contextId: 'lr-sweep',
      context: {
        schemaTitle: 'system.Experiment',
        schemaVersion: '0.0.1',
        displayName: 'lr-sweep',
        metadata: { fields: { experiment_deleted: { kind: 'boolValue', boolValue: false } } },
      },
    });
    expect(emulator.current.requests('addContextChildren')).toEqual([
      { context: `${store}/contexts/lr-sweep`, childContexts: [`${store}/contexts/exp-job-1`] },
    ]);
    expect(emulator.current.metadata.contexts.get(`${store}/contexts/exp-job-1`)).toMatchObject({
      schemaTitle: 'system.PipelineRun',
      parentContexts: [`${store}/contexts/lr-sweep`],
    });
  });

  it('reuses an existing experiment: gets, never creates', async () => {
    const from = emulator.current.calls.length;
    emulator.current.scriptNextJob([{ state: 'PIPELINE_STATE_RUNNING' }]);
    const { code } = await submit('--job-id', 'exp-job-2', '--experiment', 'lr-sweep');
    expect(code).toBe(0);
    expect(sequence(from)).toEqual([
      'getMetadataStore',
      'getContext',
      'createPipelineJob',
      'getMetadataStore',
      'getContext',
      'getPipelineJob',
      'addContextChildren',
    ]);
    expect(emulator.current.metadata.contexts.get(`${store}/contexts/exp-job-2`)?.['parentContexts']).toEqual([
      `${store}/contexts/lr-sweep`,
    ]);
  });

  it('refuses a name Vertex AI would refuse before any call', async () => {
    const from = emulator.current.calls.length;
    const { code, stderr } = await submit('--experiment', 'LR sweep');
    expect(code).toBe(1);
    expect(stderr).toContain('experiment "LR sweep" is not a valid name (try \'lr-sweep\')');
    expect(sequence(from)).toEqual([]);
  });

  it('refuses a context of another type under that name, before creating the job', async () => {
    emulator.current.metadata.contexts.set(`${store}/contexts/not-an-experiment`, {
      name: `${store}/contexts/not-an-experiment`,
      schemaTitle: 'system.PipelineRun',
    });
    const from = emulator.current.calls.length;
    const { code, stderr } = await submit('--experiment', 'not-an-experiment');
    expect(code).toBe(1);
    expect(stderr).toContain("'not-an-experiment' is a system.PipelineRun context");
    expect(sequence(from)).toEqual(['getMetadataStore', 'getContext']);
  });

  it('says so when the job fails before it has a run context (the job exists, outside the experiment)', async () => {
    emulator.current.scriptNextJob([{ state: 'PIPELINE_STATE_FAILED', errorMessage: 'quota exceeded' }]);
    const { code, stderr } = await submit('--job-id', 'exp-job-3', '--experiment', 'lr-sweep');
    expect(code).toBe(1);
    expect(stderr).toContain('the job ended FAILED before it had a run context (quota exceeded)');
    expect(emulator.current.requests('addContextChildren')).toHaveLength(2);
  });

  it('reports a MetadataService error with what to do', async () => {
    emulator.current.failNext('getMetadataStore', { code: 7, message: 'Permission aiplatform.metadataStores.get denied' });
    const { code, stderr } = await submit('--experiment', 'lr-sweep');
    expect(code).toBe(1);
    expect(stderr).toContain(`Vertex AI could not get metadata store ${store}: PERMISSION_DENIED`);
    expect(stderr).toContain('how to fix');
  });
});
