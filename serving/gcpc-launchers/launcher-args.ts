/**
 * The parts every GCPC launcher shares (google_cloud_pipeline_components/container/v1/<operation>/
 * launcher.py and container/utils in https://github.com/kubeflow/pipelines/tree/master/components/google-cloud),
 * reproduced for the local stand-ins:
 * the `--flag value` arguments, the payload clean-up (`recursive_remove_empty`), the label merge
 * with the run's labels, the `gcp_resources` file and the executor output of output artifacts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourceApiUri } from '../vertex-resource-names';

export interface LauncherArgs {
  readonly type: string;
  readonly project: string;
  readonly location: string;
  readonly payload: string;
  readonly gcpResources: string;
  readonly executorInput?: string;
  readonly parentModelName?: string;
}

const FLAGS: Record<string, keyof LauncherArgs> = {
  '--type': 'type',
  '--project': 'project',
  '--location': 'location',
  '--payload': 'payload',
  '--gcp_resources': 'gcpResources',
  '--executor_input': 'executorInput',
  '--parent_model_name': 'parentModelName',
};

/** Reads the flags after the launcher module; unknown flags are ignored, as argparse's parse_known_args does. */
export function parseLauncherArgs(argv: readonly string[]): LauncherArgs {
  const values: Partial<Record<keyof LauncherArgs, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = FLAGS[argv[i]!];
    if (key !== undefined && i + 1 < argv.length) values[key] = argv[++i]!;
  }
  const missing = (['type', 'project', 'location', 'payload', 'gcpResources'] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) {
    throw new Error(
      `the launcher needs ${missing.map((k) => Object.keys(FLAGS).find((f) => FLAGS[f] === k)).join(', ')}; the component's args are not GCPC's (compile it with components/gcpc).`,
    );
  }
  return values as LauncherArgs;
}

export function checkType(args: LauncherArgs, expected: string): void {
  if (args.type !== expected) throw new Error(`Incorrect job type: ${args.type} (this launcher runs ${expected})`);
}

/** The payload as JSON, cleaned of empty values as the launcher cleans it. */
export function parsePayload(args: LauncherArgs): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args.payload);
  } catch (error) {
    throw new Error(
      `the --payload is not valid JSON (${(error as Error).message}): a string input holding a quote or a backslash breaks it, as GCPC does not escape them; payload: ${args.payload}`,
    );
  }
  return removeEmpty(parsed) as Record<string, unknown>;
}

/**
 * GCPC's `recursive_remove_empty`: drops every object entry whose value is falsy ('', 0, false,
 * null, {}, []), again until nothing changes (an object emptied by the first pass goes too).
 * Values inside lists are kept.
 */
export function removeEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item !== null ? removeEmpty(item) : item));
  if (typeof value !== 'object' || value === null) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const cleaned = removeEmpty(item);
    if (!isEmpty(cleaned)) kept[key] = cleaned;
  }
  return kept;
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && value !== null) return Object.keys(value).length === 0;
  return !value;
}

/** The payload's labels merged with VERTEX_AI_PIPELINES_RUN_LABELS (the payload's keys win). */
export function mergedLabels(labels: unknown, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const runLabels = env['VERTEX_AI_PIPELINES_RUN_LABELS'];
  const fromRun = runLabels ? (JSON.parse(runLabels) as Record<string, string>) : {};
  return { ...fromRun, ...((labels as Record<string, string> | undefined) ?? {}) };
}

let operationCounter = 0;

/** Writes `gcp_resources` as the launcher does (MessageToJson: camelCase, two-space indent), naming the operation. */
export function writeGcpResources(args: LauncherArgs, location: string, resourceName: string): void {
  const operation = `${resourceName}/operations/${Date.now()}${String(++operationCounter).padStart(3, '0')}`;
  const resources = { resources: [{ resourceType: 'VertexLro', resourceUri: resourceApiUri(location, operation) }] };
  fs.mkdirSync(path.dirname(args.gcpResources), { recursive: true });
  fs.writeFileSync(args.gcpResources, JSON.stringify(resources, null, 2));
}

/** A RuntimeArtifact as proto-JSON: the fields the launchers read, and whatever else it carries (kept as is). */
interface RuntimeArtifactJson {
  readonly uri?: string;
  readonly metadata?: Record<string, unknown>;
  readonly [field: string]: unknown;
}

interface ExecutorInputJson {
  inputs?: { artifacts?: Record<string, { artifacts?: RuntimeArtifactJson[] }> };
  outputs?: { artifacts?: Record<string, { artifacts?: RuntimeArtifactJson[] }>; outputFile?: string };
}

export function parseExecutorInput(args: LauncherArgs): ExecutorInputJson {
  if (args.executorInput === undefined)
    throw new Error("the launcher needs --executor_input; the component's args are not GCPC's (compile it with components/gcpc).");
  return JSON.parse(args.executorInput) as ExecutorInputJson;
}

/** The first runtime artifact of an input, if the task was given one. */
export function inputArtifact(executorInput: ExecutorInputJson, name: string): RuntimeArtifactJson | undefined {
  return executorInput.inputs?.artifacts?.[name]?.artifacts?.[0];
}

/** Writes the executor output with one output artifact, its URI and metadata replaced (GCPC's artifact_util). */
export function writeOutputArtifact(executorInput: ExecutorInputJson, name: string, uri: string, metadata: Record<string, unknown>): void {
  const provisioned = executorInput.outputs?.artifacts?.[name]?.artifacts?.[0];
  const outputFile = executorInput.outputs?.outputFile;
  if (!provisioned || !outputFile)
    throw new Error(`the executor input has no output artifact '${name}' or no output file; the component's outputs are not GCPC's.`);
  const output = { artifacts: { [name]: { artifacts: [{ ...provisioned, uri, metadata }] } } };
  fs.mkdirSync(path.dirname(outputFile), { recursive: true });
  fs.writeFileSync(outputFile, JSON.stringify(output));
}

/** camelCase keys → snake_case, recursively (the launcher's conversion of containerSpec / predictSchemata). */
export function snakeCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeCaseKeys(item)]),
  );
}
