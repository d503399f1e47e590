import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { withCachingOverride } from './caching-override';
import { defaultDisplayName, defaultJobId, jobIdProblem } from './job-id';
import { labelProblems } from './labels';
import type { CreatePipelineJobRequest, NewPipelineJob } from './pipeline-job';
import { jsonToProtobufStruct, jsonToProtobufValue } from './protobuf-struct';
import { gcsUriProblem, kmsKeyProblem, networkProblem, projectProblem, regionProblem, serviceAccountProblem } from './cloud-name-checks';
import { runtimeParameterValues } from './runtime-parameters';
import { ProblemList } from './vertex-input-error';

/** Where and how to run a pipeline on Vertex AI; everything but project and region is optional. */
export interface PipelineJobSettings {
  readonly project: string;
  readonly region: string;
  /** `gs://…` for the job's outputs. @default the spec's `defaultPipelineRoot`; one of the two is required */
  readonly pipelineRoot?: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** Parameter values are command-line strings, to parse by the declared types. */
  readonly parametersFromCommandLine?: boolean;
  /** true/false rewrites every task's caching as the Vertex Python SDK does; undefined keeps the compiled options. */
  readonly enableCaching?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  readonly network?: string;
  readonly kmsKeyName?: string;
  /** @default `<pipeline name>-<local YYYYMMDDHHMMSS>`, as the Python SDK makes it */
  readonly jobId?: string;
  /** @default "PipelineJob <local time>", as the Python SDK makes it */
  readonly displayName?: string;
  /** The clock for the default id and display name. */
  readonly now?: Date;
  /** @default {@link maxRequestBytes} */
  readonly maxRequestBytes?: number;
}

/**
 * Google API front ends reject a request body over 10 MiB ("Request payload size exceeds the limit:
 * 10485760 bytes"); Vertex AI documents no lower limit for a PipelineJob. The JSON size of the job
 * is used as the measure: the protobuf encoding of a Struct is of the same order.
 */
export const maxRequestBytes = 10 * 1024 * 1024;
const maxDisplayNameLength = 128;

export interface PreparedPipelineJob {
  readonly request: CreatePipelineJobRequest;
  readonly jobId: string;
  /** `projects/P/locations/R/pipelineJobs/ID` */
  readonly jobName: string;
  readonly consoleUrl: string;
  /** The JSON size of the PipelineJob, checked against the limit. */
  readonly requestBytes: number;
}

/**
 * Builds the CreatePipelineJob request from compiled IR, checking every input first and reporting
 * all problems in one VertexInputError: names, URIs, labels, parameters, job id, size.
 */
export function preparePipelineJob(spec: IrPipelineSpec, settings: PipelineJobSettings): PreparedPipelineJob {
  const problems = new ProblemList();
  problems.check(projectProblem(settings.project));
  const regionIssue = regionProblem(settings.region);
  problems.check(regionIssue);
  const pipelineRoot = settings.pipelineRoot ?? spec.defaultPipelineRoot;
  if (pipelineRoot === undefined || pipelineRoot === '') {
    problems.check('no pipeline root: pass --pipeline-root gs://BUCKET/PATH (the pipeline sets no defaultPipelineRoot)');
  } else {
    problems.check(
      gcsUriProblem(pipelineRoot, settings.pipelineRoot !== undefined ? 'pipeline root' : "the pipeline's defaultPipelineRoot"),
    );
  }
  const parameterValues = problems.collect(() =>
    runtimeParameterValues(spec, settings.parameters ?? {}, settings.parametersFromCommandLine ?? false),
  );
  problems.problems.push(...labelProblems(settings.labels ?? {}));
  if (settings.serviceAccount !== undefined) problems.check(serviceAccountProblem(settings.serviceAccount));
  if (settings.network !== undefined) problems.check(networkProblem(settings.network));
  if (settings.kmsKeyName !== undefined) problems.check(kmsKeyProblem(settings.kmsKeyName, regionIssue ? undefined : settings.region));
  const now = settings.now ?? new Date();
  const jobId = settings.jobId ?? defaultJobId(spec.pipelineInfo.name, now);
  problems.check(jobIdProblem(jobId, settings.jobId === undefined));
  const displayName = settings.displayName ?? defaultDisplayName(now);
  if ([...displayName].length > maxDisplayNameLength)
    problems.check(`display name is ${[...displayName].length} characters; Vertex AI allows at most ${maxDisplayNameLength}`);
  problems.throwIfAny();

  const sentSpec = settings.enableCaching === undefined ? spec : withCachingOverride(spec, settings.enableCaching);
  const pipelineJob: NewPipelineJob = {
    displayName,
    pipelineSpec: jsonToProtobufStruct(JSON.parse(JSON.stringify(sentSpec)) as object, 'pipelineSpec'),
    runtimeConfig: {
      gcsOutputDirectory: pipelineRoot!,
      parameterValues: Object.fromEntries(
        Object.entries(parameterValues!).map(([name, value]) => [name, jsonToProtobufValue(value, `parameter ${name}`)]),
      ),
    },
    ...(settings.labels && Object.keys(settings.labels).length ? { labels: { ...settings.labels } } : {}),
    ...(settings.serviceAccount !== undefined ? { serviceAccount: settings.serviceAccount } : {}),
    ...(settings.network !== undefined ? { network: settings.network } : {}),
    ...(settings.kmsKeyName !== undefined ? { encryptionSpec: { kmsKeyName: settings.kmsKeyName } } : {}),
  };
  const requestBytes = Buffer.byteLength(
    JSON.stringify({ displayName, pipelineSpec: sentSpec, runtimeConfig: { gcsOutputDirectory: pipelineRoot, parameterValues } }),
  );
  const limit = settings.maxRequestBytes ?? maxRequestBytes;
  if (requestBytes > limit) {
    problems.check(
      `the pipeline job is ${formatBytes(requestBytes)}, over the API's request limit of ${formatBytes(limit)}: ` +
        'move large constants (embedded data, long scripts) into files or images, or split the pipeline',
    );
    problems.throwIfAny();
  }
  const parent = `projects/${settings.project}/locations/${settings.region}`;
  return {
    request: { parent, pipelineJobId: jobId, pipelineJob },
    jobId,
    jobName: `${parent}/pipelineJobs/${jobId}`,
    consoleUrl: consoleUrl(settings.project, settings.region, jobId),
    requestBytes,
  };
}

export function consoleUrl(project: string, region: string, jobId: string): string {
  return `https://console.cloud.google.com/vertex-ai/locations/${region}/pipelines/runs/${jobId}?project=${project}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
