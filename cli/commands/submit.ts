import { assertValidPipelineSpec } from '../../compiler/ir/validate-pipeline-spec';
import { RunParameterError, parseParameterPairs } from '../../runner/run-parameters';
import { jobState, shortState } from '../../vertex/job-states';
import { parseLabels } from '../../vertex/labels';
import { submitPipelineJob } from '../../vertex/pipeline-jobs';
import { closePipelineServiceClients } from '../../vertex/pipeline-service-client';
import { closeMetadataServiceClients } from '../../vertex/metadata-service-client';
import { addPipelineJobToExperiment, getOrCreateExperiment } from '../../vertex/pipeline-experiments';
import { VertexInputError } from '../../vertex/vertex-input-error';
import { UsageError, type Command } from '../sub-command';
import { LOAD_TIMEOUT_OPTION_NAMES, LOAD_TIMEOUT_USAGE, loadPipelineFile, pipelineFileOptions } from '../load-pipeline-in-worker';
import { parseArgs } from '../parse-args';
import { PROJECT_OPTIONS_USAGE, PROJECT_OPTION_NAMES } from '../project-options';
import { waitAndReport, watchUsage } from './job-watch-output';
import { pollIntervalMs } from './poll-interval';

const usage = `Usage: kfp-ts submit <pipeline.ts|ir.json|ir.yaml> --project P --region R [options]

Submits a pipeline to Vertex AI Pipelines as a PipelineJob. Every input is checked before the call
(names, gs:// URIs, labels, parameters against the pipeline's inputs, job id, request size).

  --project P             Google Cloud project id (required, unless kfp-ts.config.ts sets vertex.project)
  --region R              Vertex AI region, e.g. us-central1 (required, unless it sets vertex.region)
  --pipeline-root URI     gs://BUCKET/PATH for the job's outputs (default: the pipeline's defaultPipelineRoot)
  --param NAME=VALUE      a pipeline parameter (repeatable); parsed by the declared type
  --enable-caching        cache every task; like the Vertex Python SDK's enable_caching=True, this replaces
                          every task's caching options (custom cache keys are dropped)
  --disable-caching       run every task (enable_caching=False); without either flag the compiled options apply
  --label KEY=VALUE       a job label (repeatable): lowercase letters, digits, _ and -, at most 64 characters
  --service-account SA    run the tasks as this service account (you need iam.serviceAccounts.actAs on it)
  --network NAME          VPC network: projects/PROJECT_NUMBER/global/networks/NETWORK
  --kms-key KEY           CMEK key: projects/P/locations/REGION/keyRings/RING/cryptoKeys/KEY
  --job-id ID             the job id (default: <pipeline name>-<local YYYYMMDDHHMMSS>, as the Python SDK makes it)
  --display-name NAME     (default: "PipelineJob <local time>", as the Python SDK makes it)
  --experiment NAME       add the job to this Vertex AI Experiment (created when missing), as the Python SDK's
                          submit(experiment=NAME): waits until the job has started to add its run
  --export NAME           the exported pipeline of a .ts file to submit
${PROJECT_OPTIONS_USAGE}
${LOAD_TIMEOUT_USAGE}
${watchUsage}`;

export const submitCommand: Command = {
  name: 'submit',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: {
        project: ['--project'],
        region: ['--region'],
        pipelineRoot: ['--pipeline-root'],
        serviceAccount: ['--service-account'],
        network: ['--network'],
        kmsKey: ['--kms-key'],
        jobId: ['--job-id'],
        displayName: ['--display-name'],
        experiment: ['--experiment'],
        endpoint: ['--endpoint'],
        pollInterval: ['--poll-interval'],
        export: ['--export'],
        ...PROJECT_OPTION_NAMES,
        ...LOAD_TIMEOUT_OPTION_NAMES,
      },
      repeated: { param: ['--param', '-p'], label: ['--label'] },
      flags: { enableCaching: ['--enable-caching'], disableCaching: ['--disable-caching'], wait: ['--wait'] },
    });
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('missing the pipeline file');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (args.flags['enableCaching'] && args.flags['disableCaching'])
      throw new UsageError('--enable-caching and --disable-caching contradict each other');
    const endpoint = args.values['endpoint'];
    try {
      const { spec, vertexDefaults } = await loadPipelineFile({
        file,
        cwd: io.cwd,
        output: io.stderr,
        ...pipelineFileOptions(args.values),
      });
      // Flags win over the project's configuration (kfp-ts.config.ts `vertex`).
      const project = args.values['project'] ?? vertexDefaults.project;
      const region = args.values['region'] ?? vertexDefaults.region;
      if (project === undefined || region === undefined) {
        throw new UsageError(
          `${project === undefined ? '--project' : '--region'} is required (or set vertex.${project === undefined ? 'project' : 'region'} in kfp-ts.config.ts)`,
        );
      }
      const initialIntervalMs = pollIntervalMs(args.values['pollInterval']);
      const parameters = withParameterErrors(() => parseParameterPairs(args.repeated['param'] ?? []));
      const labels = { ...vertexDefaults.labels, ...parseLabels(args.repeated['label'] ?? []) };
      assertValidPipelineSpec(spec, file);
      const connection = {
        ...(endpoint !== undefined ? { endpoint } : {}),
        onRetry: ({ attempt, delayMs }: { attempt: number; delayMs: number }) =>
          io.stderr(`Vertex AI is unavailable (try ${attempt}); retrying in ${(delayMs / 1000).toFixed(1)} s\n`),
      };
      const experiment = args.values['experiment'];
      if (experiment !== undefined) await getOrCreateExperiment(project, experiment, { region, ...connection });
      const submitted = await submitPipelineJob(
        spec,
        {
          project,
          region,
          parameters,
          parametersFromCommandLine: true,
          labels,
          ...optional('pipelineRoot', args.values['pipelineRoot']),
          ...optional('serviceAccount', args.values['serviceAccount'] ?? vertexDefaults.serviceAccount),
          ...optional('network', args.values['network']),
          ...optional('kmsKeyName', args.values['kmsKey']),
          ...optional('jobId', args.values['jobId']),
          ...optional('displayName', args.values['displayName']),
          ...(args.flags['enableCaching'] ? { enableCaching: true } : args.flags['disableCaching'] ? { enableCaching: false } : {}),
        },
        connection,
      );
      io.stdout(`Submitted pipeline job ${submitted.jobId} (${shortState(jobState(submitted.job))})\n`);
      io.stdout(`  name:    ${submitted.job.name ?? submitted.jobName}\n`);
      io.stdout(`  console: ${submitted.consoleUrl}\n`);
      if (experiment !== undefined) {
        await addPipelineJobToExperiment(
          project,
          submitted.jobName,
          experiment,
          { region, ...connection },
          {
            ...(initialIntervalMs !== undefined ? { pollIntervalMs: initialIntervalMs } : {}),
            onWait: (message) => io.stderr(`${message}\n`),
          },
        );
        io.stdout(
          `  experiment: ${experiment} (https://console.cloud.google.com/vertex-ai/experiments/locations/${region}/experiments/${experiment}?project=${project})\n`,
        );
      }
      if (!args.flags['wait']) return 0;
      return await waitAndReport(submitted.jobName, { region, ...connection }, io, initialIntervalMs);
    } finally {
      await closePipelineServiceClients();
      await closeMetadataServiceClients();
    }
  },
};

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function withParameterErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof RunParameterError) throw new VertexInputError(error.problems);
    throw error;
  }
}
