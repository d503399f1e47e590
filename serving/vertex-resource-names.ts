/**
 * Vertex AI resource names of models, model versions and endpoints, as GCPC's launchers write and
 * parse them: `projects/P/locations/L/models/ID@VERSION` and `projects/P/locations/L/endpoints/ID`.
 * The local registry uses the same names (with project `local` when the run has no Google Cloud
 * project), so lineage and payloads read exactly as on Vertex.
 */

/** The project a local run's resources are named under when `--project` resolves to ''. */
export const LOCAL_PROJECT = 'local';

export interface ModelName {
  readonly project: string;
  readonly location: string;
  readonly modelId: string;
  /** Absent: the model's default version (locally: its newest). */
  readonly versionId?: string;
}

export interface EndpointName {
  readonly project: string;
  readonly location: string;
  readonly endpointId: string;
}

export function modelResourceName(name: ModelName): string {
  const base = `projects/${name.project}/locations/${name.location}/models/${name.modelId}`;
  return name.versionId === undefined ? base : `${base}@${name.versionId}`;
}

export function endpointResourceName(name: EndpointName): string {
  return `projects/${name.project}/locations/${name.location}/endpoints/${name.endpointId}`;
}

const MODEL_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/models\/([^/@]+)(?:@([^/@]+))?$/;
// GCPC's deploy launcher pattern, with its segments restricted to non-empty names.
const ENDPOINT_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/]+)$/;

export function parseModelName(text: string): ModelName {
  const match = MODEL_NAME.exec(text);
  if (!match) throw new Error(`invalid model name '${text}': expected projects/PROJECT/locations/LOCATION/models/ID[@VERSION]`);
  return { project: match[1]!, location: match[2]!, modelId: match[3]!, ...(match[4] !== undefined ? { versionId: match[4] } : {}) };
}

export function parseEndpointName(text: string): EndpointName {
  const match = ENDPOINT_NAME.exec(text);
  if (!match) throw new Error(`Invalid endpoint name: ${text} (expected projects/PROJECT/locations/LOCATION/endpoints/ID)`);
  return { project: match[1]!, location: match[2]!, endpointId: match[3]! };
}

/** The URI GCPC gives VertexModel / VertexEndpoint artifacts: the resource's REST address. */
export function resourceApiUri(location: string, resourceName: string): string {
  return `https://${location}-aiplatform.googleapis.com/v1/${resourceName}`;
}

/** The path of an endpoint's predict method, after the server's origin. */
export function predictPath(endpoint: string): string {
  return `/v1/${endpoint}:predict`;
}
