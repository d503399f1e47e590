import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { PathEscapeError } from '../../../compiler/util/contained-path';
import { localPathForGcsUri } from '../../../vertex/emulator/local-job-execution';
import { PipelineServiceEmulator, RemoteEmulatorRefused } from '../../../vertex/emulator/pipeline-service-emulator';
import { submitPipelineJob } from '../../../vertex/pipeline-jobs';
import { pipelineServiceClient } from '../../../vertex/pipeline-service-client';
import { jsonToProtobufStruct } from '../../../vertex/protobuf-struct';
import { VertexInputError } from '../../../vertex/vertex-input-error';
import { cli, emulatorForTests, fastRetry, typedSpec } from '../support';

// The emulator runs every job it receives as host processes: it must not listen beyond this machine
// unless told to, and a job's gs:// root must not place files outside its work folder.
const emulator = emulatorForTests({ execute: false });

describe('listening address', () => {
  it('refuses a non-loopback host without allowRemote, saying what anyone reaching the port could do', async () => {
    const error = await PipelineServiceEmulator.start({ host: '0.0.0.0', execute: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteEmulatorRefused);
    expect(error).toBeInstanceOf(KfpTsError);
    expect((error as Error).message).toMatch(
      /^the emulator would listen on '0\.0\.0\.0', which is not a loopback address\. .*anyone who can reach the port could run commands here\. .*--allow-remote/,
    );
  });

  it('listens on a non-loopback host with allowRemote', async () => {
    const remote = await PipelineServiceEmulator.start({ host: '0.0.0.0', allowRemote: true, execute: false });
    try {
      expect(remote.endpoint).toMatch(/^0\.0\.0\.0:\d+$/);
    } finally {
      await remote.stop();
    }
  });

  it('kfp-ts emulator --host 0.0.0.0 is a usage error naming --allow-remote; its help warns about it', async () => {
    const refused = await cli('emulator', '--host', '0.0.0.0');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /--host 0\.0\.0\.0 is not a loopback address: .*anyone who can reach the port could run commands on this machine\. Pass --allow-remote/,
    );
    const alone = await cli('emulator', '--allow-remote');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--allow-remote goes with a non-loopback --host');
    const help = await cli('emulator', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      '--allow-remote listen on a non-loopback --host. WARNING: the service has no authentication and no TLS, and runs the commands of every job it receives on this machine: anyone who can reach the port can run commands here as you',
    );
  });

  it('--host 127.evil.com is not taken for loopback', async () => {
    const refused = await cli('emulator', '--host', '127.evil.com');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--host 127.evil.com is not a loopback address');
  });
});

describe('gs:// roots with dot segments', () => {
  it('the local mapping refuses them instead of writing outside the work folder', () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-emulator-paths-'));
    expect(() => localPathForGcsUri('gs://bkt/../../../outside', workDir)).toThrow(PathEscapeError);
    expect(() => localPathForGcsUri('gs://bkt/../../../outside', workDir)).toThrow(
      /^the job's gcsOutputDirectory 'gs:\/\/bkt\/\.\.\/\.\.\/\.\.\/outside' has a '\.\.' segment/,
    );
    expect(localPathForGcsUri('gs://bkt/a/b', workDir)).toBe(path.join(workDir, 'gcs', 'bkt', 'a', 'b'));
  });

  it('CreatePipelineJob answers INVALID_ARGUMENT for one, naming the field', async () => {
    const client = await pipelineServiceClient({ region: 'us-central1', endpoint: emulator.current.endpoint });
    const error = (await client
      .createPipelineJob({
        parent: 'projects/my-project/locations/us-central1',
        pipelineJobId: 'dot-segments',
        pipelineJob: {
          displayName: 'escape',
          pipelineSpec: jsonToProtobufStruct(JSON.parse(JSON.stringify(typedSpec())) as object, 'pipelineSpec'),
          runtimeConfig: { gcsOutputDirectory: 'gs://bkt/../../../outside', parameterValues: {} },
        },
      })
      .catch((e: unknown) => e)) as { code: number; details: string };
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error.details).toContain(
      "Invalid pipeline_job.runtime_config.gcs_output_directory: gcs_output_directory 'gs://bkt/../../../outside' has a '..' segment",
    );
    expect(emulator.current.job('dot-segments')).toBeUndefined();
  });

  it('submit refuses such a pipeline root before any call', async () => {
    const callsBefore = emulator.current.calls.length;
    const error = await submitPipelineJob(
      typedSpec(),
      { project: 'my-project', region: 'us-central1', pipelineRoot: 'gs://my-bucket/root/../../other', parameters: { message: 'hi' } },
      { endpoint: emulator.current.endpoint, retry: fastRetry },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VertexInputError);
    expect((error as VertexInputError).problems).toEqual([
      "pipeline root 'gs://my-bucket/root/../../other' has a '..' segment; Cloud Storage paths are not resolved, so write the path without '.' and '..' (e.g. gs://BUCKET/PATH)",
    ]);
    expect(emulator.current.calls.length).toBe(callsBefore);
  });
});
