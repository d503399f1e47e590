import type { IrValue } from '../../compiler/ir/pipeline-spec';
import type { ExecutorInput, RuntimeArtifact } from '../../compiler/ir/executor-protocol';
import { formatPlaceholderValue, jsonEscape } from './format-value';
import { localPathForArtifact } from '../../compiler/ir/artifact-paths';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

/**
 * Resolution of the `{{$…}}` placeholders inside one string (after
 * Concat/IfPresent, in kfp.local's order: https://github.com/kubeflow/pipelines/blob/master/sdk/python/kfp/local/placeholder_utils.py):
 * the whole ExecutorInput, the output file, pipeline-level values and the keyed placeholders that
 * walk the ExecutorInput. Struct placeholders (Concat/IfPresent) are placeholders.ts's job.
 */

/** The run-time facts behind the pipeline-level placeholders (`{{$.pipeline_job_name}}` and the like). */
export interface RuntimeValues {
  /** `{{$.pipeline_job_name}}`: the run name. */
  jobName: string;
  /** `{{$.pipeline_job_resource_name}}`: a local pseudo resource name. */
  jobResourceName: string;
  /** `{{$.pipeline_job_uuid}}`: the run id. */
  jobId: string;
  /** `{{$.pipeline_task_name}}`. */
  taskName: string;
  /** `{{$.pipeline_task_uuid}}`: the MLMD execution id. */
  taskId: string;
  pipelineRoot: string;
  /** ISO-8601 UTC. */
  createTimeUtc: string;
  scheduleTimeUtc: string;
  /** `{{$.workspace_path}}`; a task that asks for it fails when the run has no workspace. */
  workspacePath?: string;
  /** Vertex-only values GCPC uses (often as parameter defaults); unset ones resolve to ''. */
  gcp?: {
    projectId?: string;
    location?: string;
    serviceAccount?: string;
    network?: string;
    encryptionKeyName?: string;
    persistentResourceId?: string;
  };
}

/** A placeholder that cannot be given a value; names the task path and the placeholder. */
export class PlaceholderError extends KfpTsError {
  override readonly name = 'PlaceholderError';
  constructor(
    readonly taskPath: string,
    readonly placeholder: string,
    readonly reason: string,
  ) {
    super(`[${taskPath}] cannot resolve the placeholder ${placeholder}: ${reason}`);
  }
}

const PLACEHOLDER = /\{\{\$(.*?)\}\}/g;

/**
 * Every `{{$…}}` in `text` replaced. One pass with a callback, so text inserted by one placeholder
 * (a parameter value, the `{{$}}` JSON) is never scanned again for placeholders.
 */
export function resolvePlaceholdersInText(text: string, input: ExecutorInput, runtime: RuntimeValues, taskPath: string): string {
  if (!text.includes('{{$')) return text;
  return text.replace(PLACEHOLDER, (placeholder, body: string) => resolveOne(body, placeholder, input, runtime, taskPath));
}

function resolveOne(body: string, placeholder: string, input: ExecutorInput, runtime: RuntimeValues, taskPath: string): string {
  const fail = (reason: string): never => {
    throw new PlaceholderError(taskPath, placeholder, reason);
  };
  if (body === '') return JSON.stringify(input);
  const constant = constantValue(body, input, runtime);
  if (constant !== undefined) return constant;
  if (body === '.workspace_path') return fail('this run has no workspace configured');

  const jsonEscaping = /\.json_escape\[(\d+)\]$/.exec(body);
  const path = jsonEscaping ? body.slice(0, jsonEscaping.index) : body;
  // What `json_escape[N]` (written by GCPC) means on Vertex is not public and kfp.local rejects it;
  // level N is read as N + 1 rounds of JSON string escaping.
  const finish = (value: string) => (jsonEscaping ? jsonEscape(value, Number(jsonEscaping[1]) + 1) : value);

  const keyed = /^\.(inputs|outputs)\.(parameters|artifacts)\[(['"])(.*?)\3\](.*)$/.exec(path);
  if (!keyed)
    return fail(
      'not a placeholder kfp-ts knows (expected {{$}}, {{$.inputs.parameters[…]}}, {{$.inputs|outputs.artifacts[…].uri|path|metadata}}, {{$.outputs.parameters[…].output_file}}, {{$.outputs.output_file}} or {{$.pipeline_…}})',
    );
  const side = keyed[1] as 'inputs' | 'outputs';
  const kind = keyed[2] as 'parameters' | 'artifacts';
  const name = keyed[4]!;
  const rest = keyed[5]!;

  if (kind === 'parameters') {
    if (side === 'inputs') {
      if (rest !== '') return fail(`an input parameter has no field '${rest}'`);
      return finish(formatPlaceholderValue(inputParameter(name, input, fail)));
    }
    if (rest !== '.output_file') return fail(`an output parameter placeholder ends with .output_file, not '${rest || '(nothing)'}'`);
    const output = Object.hasOwn(input.outputs.parameters, name) ? input.outputs.parameters[name] : undefined;
    if (!output) return fail(`the task has no output parameter '${name}'${known(Object.keys(input.outputs.parameters))}`);
    return finish(output.outputFile);
  }

  const lists = side === 'inputs' ? input.inputs.artifacts : input.outputs.artifacts;
  const list = Object.hasOwn(lists, name) ? lists[name] : undefined;
  if (!list) return fail(`the task has no ${side === 'inputs' ? 'input' : 'output'} artifact '${name}'${known(Object.keys(lists))}`);
  // No reference renders a whole artifact list (kfp.local's path walk does not handle it): it is
  // written as the JSON array of its runtime artifacts (proto-JSON fields).
  if (rest === '') return finish(JSON.stringify(list.artifacts));
  const artifact = list.artifacts[0];
  if (!artifact) return fail(`artifact '${name}' is an empty list`);
  return finish(artifactField(artifact, name, rest, fail));
}

function constantValue(body: string, input: ExecutorInput, runtime: RuntimeValues): string | undefined {
  switch (body) {
    case '.outputs.output_file':
    case '.outputMetadataUri':
      return input.outputs.outputFile;
    case '.pipeline_job_name':
      return runtime.jobName;
    case '.pipeline_job_resource_name':
      return runtime.jobResourceName;
    case '.pipeline_job_uuid':
      return runtime.jobId;
    case '.pipeline_task_name':
      return runtime.taskName;
    case '.pipeline_task_uuid':
      return runtime.taskId;
    case '.pipeline_root':
      return runtime.pipelineRoot;
    case '.pipeline_job_create_time_utc':
      return runtime.createTimeUtc;
    case '.pipeline_job_schedule_time_utc':
      return runtime.scheduleTimeUtc;
    case '.workspace_path':
      return runtime.workspacePath;
    case '.pipeline_google_cloud_project_id':
      return runtime.gcp?.projectId ?? '';
    case '.pipeline_google_cloud_location':
      return runtime.gcp?.location ?? '';
    case '.pipeline_service_account':
      return runtime.gcp?.serviceAccount ?? '';
    case '.pipeline_network':
      return runtime.gcp?.network ?? '';
    case '.pipeline_encryption_key_name':
      return runtime.gcp?.encryptionKeyName ?? '';
    case '.pipeline_persistent_resource_id':
      return runtime.gcp?.persistentResourceId ?? '';
    default:
      return undefined;
  }
}

function inputParameter(name: string, input: ExecutorInput, fail: (reason: string) => never): IrValue {
  const values = input.inputs.parameterValues;
  if (!Object.hasOwn(values, name)) {
    return fail(`input parameter '${name}' has no value${known(Object.keys(values))}`);
  }
  const value = values[name]!;
  // null means "not provided" (kfp.local's presence rule); only IfPresent may look at such an input.
  if (value === null) return fail(`input parameter '${name}' was not provided (null); guard it with IfPresent`);
  return value;
}

function artifactField(artifact: RuntimeArtifact, name: string, field: string, fail: (reason: string) => never): string {
  if (field === '.uri') return artifact.uri;
  if (field === '.path') return localPathForArtifact(artifact);
  const metadata = artifact.metadata ?? {};
  if (field === '.metadata') return JSON.stringify(metadata);
  const key = /^\.metadata\[(['"])(.*)\1\]$/.exec(field);
  if (!key) return fail(`an artifact placeholder ends with .uri, .path, .metadata or .metadata['key'], not '${field}'`);
  const metadataKey = key[2]!;
  if (!Object.hasOwn(metadata, metadataKey)) {
    return fail(`artifact '${name}' has no metadata key '${metadataKey}'${known(Object.keys(metadata))}`);
  }
  return formatPlaceholderValue(metadata[metadataKey]!);
}

function known(names: string[]): string {
  return names.length === 0 ? ' (it has none)' : ` (it has: ${names.join(', ')})`;
}
