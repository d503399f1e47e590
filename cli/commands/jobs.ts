import { type PipelineJob, jobIdOf, jobState, shortState, taskState, timestampText } from '../../vertex/job-states';
import { type VertexConnection, cancelPipelineJob, getPipelineJob, listPipelineJobs, pipelineJobName } from '../../vertex/pipeline-jobs';
import { consoleUrl } from '../../vertex/pipeline-job-request';
import { closePipelineServiceClients } from '../../vertex/pipeline-service-client';
import { protobufStructToJson, protobufValueToJson } from '../../vertex/protobuf-struct';
import { UsageError, type Command, type CommandIo } from '../sub-command';
import { type ParsedArgs, parseArgs, positiveIntegerOption } from '../parse-args';
import { waitAndReport, watchUsage } from './job-watch-output';
import { pollIntervalMs } from './poll-interval';

const usage = `Usage: kfp-ts jobs <list|get|cancel> [options]

  kfp-ts jobs list --project P --region R [--filter F] [--page-size N] [--page-token T]
      the region's pipeline jobs, newest first; F is a Vertex list filter, e.g. 'state="PIPELINE_STATE_FAILED"'
      or 'labels.env="prod"'; prints the token of the next page when there is one
  kfp-ts jobs get <JOB_ID|NAME> --project P --region R [--json] [--wait]
      a job's state, times, parameters, labels and task states (--json: the whole job, spec as JSON)
  kfp-ts jobs cancel <JOB_ID|NAME> --project P --region R [--wait]
      asks Vertex AI to cancel a job (it goes CANCELLING, then CANCELLED)

  NAME is the full projects/P/locations/R/pipelineJobs/ID; with it --project and --region may be left out.
${watchUsage}`;

export const jobsCommand: Command = {
  name: 'jobs',
  usage,
  async run(argv, io) {
    const [action, ...rest] = argv;
    const args = parseArgs(rest, {
      values: {
        project: ['--project'],
        region: ['--region'],
        endpoint: ['--endpoint'],
        filter: ['--filter'],
        pageSize: ['--page-size'],
        pageToken: ['--page-token'],
        pollInterval: ['--poll-interval'],
      },
      flags: { json: ['--json'], wait: ['--wait'] },
    });
    if (action !== 'list' && action !== 'get' && action !== 'cancel')
      throw new UsageError(
        action === undefined ? 'missing the action: list, get or cancel' : `unknown action '${action}': expected list, get or cancel`,
      );
    try {
      if (action === 'list') return await listJobs(args, io);
      const [job, ...extra] = args.positionals;
      if (job === undefined) throw new UsageError(`jobs ${action} needs a job id or name`);
      if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
      const region = args.values['region'] ?? /^projects\/[^/]+\/locations\/([^/]+)\//.exec(job)?.[1];
      if (region === undefined) throw new UsageError('--region is required with a job id');
      const connection = connectionFrom(args, region, io);
      const name = pipelineJobName(job, args.values['project'], region);
      const initialIntervalMs = pollIntervalMs(args.values['pollInterval']);
      if (action === 'cancel') {
        await cancelPipelineJob(name, connection);
        io.stdout(`Asked Vertex AI to cancel ${name}; it goes CANCELLING, then CANCELLED (or it may still finish)\n`);
      } else if (args.flags['json']) {
        io.stdout(`${JSON.stringify(jobAsJson(await getPipelineJob(name, connection)), null, 2)}\n`);
      } else {
        io.stdout(describeJob(await getPipelineJob(name, connection)));
      }
      return args.flags['wait'] ? await waitAndReport(name, connection, io, initialIntervalMs) : 0;
    } finally {
      await closePipelineServiceClients();
    }
  },
};

async function listJobs(args: ParsedArgs, io: CommandIo): Promise<number> {
  const { project, region } = args.values;
  if (project === undefined || region === undefined) throw new UsageError('jobs list needs --project and --region');
  const pageSize = positiveIntegerOption(args.values['pageSize'], '--page-size');
  const { jobs, nextPageToken } = await listPipelineJobs(project, connectionFrom(args, region, io), {
    ...(args.values['filter'] !== undefined ? { filter: args.values['filter'] } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(args.values['pageToken'] !== undefined ? { pageToken: args.values['pageToken'] } : {}),
  });
  if (jobs.length === 0)
    io.stdout(`No pipeline jobs in projects/${project}/locations/${region}${args.values['filter'] ? ' match the filter' : ''}\n`);
  const rows = jobs.map((job) => [jobIdOf(job), shortState(jobState(job)), timestampText(job.createTime), job.displayName ?? '']);
  const widths = [0, 1, 2].map((i) => Math.max(...[['job', 'state', 'created'][i]!.length, ...rows.map((r) => r[i]!.length)]));
  if (rows.length) {
    for (const row of [['job', 'state', 'created', 'display name'], ...rows])
      io.stdout(`${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ')}\n`);
  }
  if (nextPageToken) io.stdout(`More jobs: --page-token ${nextPageToken}\n`);
  return 0;
}

function connectionFrom(args: ParsedArgs, region: string, io: CommandIo): VertexConnection {
  return {
    region,
    ...(args.values['endpoint'] !== undefined ? { endpoint: args.values['endpoint'] } : {}),
    onRetry: ({ attempt, delayMs }) =>
      io.stderr(`Vertex AI is unavailable (try ${attempt}); retrying in ${(delayMs / 1000).toFixed(1)} s\n`),
  };
}

function describeJob(job: PipelineJob): string {
  const lines = [
    `Job:          ${job.name}`,
    `Display name: ${job.displayName ?? ''}`,
    `State:        ${shortState(jobState(job))}${job.error?.message ? ` (${job.error.message})` : ''}`,
    `Created:      ${timestampText(job.createTime)}`,
  ];
  if (job.startTime) lines.push(`Started:      ${timestampText(job.startTime)}`);
  if (job.endTime) lines.push(`Ended:        ${timestampText(job.endTime)}`);
  const pipelineName = (protobufStructToJson(job.pipelineSpec)['pipelineInfo'] as { name?: string } | undefined)?.name;
  if (pipelineName) lines.push(`Pipeline:     ${pipelineName}`);
  lines.push(`Root:         ${job.runtimeConfig?.gcsOutputDirectory ?? ''}`);
  const parameters = Object.entries(job.runtimeConfig?.parameterValues ?? {}).map(
    ([k, v]) => `${k}=${JSON.stringify(protobufValueToJson(v))}`,
  );
  if (parameters.length) lines.push(`Parameters:   ${parameters.join(' ')}`);
  const labels = Object.entries(job.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  if (labels.length) lines.push(`Labels:       ${labels.join(' ')}`);
  if (job.serviceAccount) lines.push(`Runs as:      ${job.serviceAccount}`);
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/pipelineJobs\/([^/]+)$/.exec(job.name ?? '');
  if (match) lines.push(`Console:      ${consoleUrl(match[1]!, match[2]!, match[3]!)}`);
  const tasks = job.jobDetail?.taskDetails ?? [];
  if (tasks.length) {
    const width = Math.max(4, ...tasks.map((t) => (t.taskName ?? '').length));
    lines.push('', `${'task'.padEnd(width)}  state`);
    for (const task of tasks)
      lines.push(`${(task.taskName ?? '').padEnd(width)}  ${taskState(task.state)}${task.error?.message ? `  ${task.error.message}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The job with its Struct and Values as plain JSON, for --json. */
function jobAsJson(job: PipelineJob): unknown {
  const parameterValues = Object.fromEntries(
    Object.entries(job.runtimeConfig?.parameterValues ?? {}).map(([k, v]) => [k, protobufValueToJson(v)]),
  );
  return { ...job, pipelineSpec: protobufStructToJson(job.pipelineSpec), runtimeConfig: { ...job.runtimeConfig, parameterValues } };
}
