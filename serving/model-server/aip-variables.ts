/**
 * The environment Vertex AI gives a custom serving container (its "Custom container requirements
 * for prediction": the AIP_* variables), and its `$(VARIABLE)` references in the containerSpec's
 * command, args and env values, reproduced for a serving command run on this machine.
 */

/** Where a model is deployed: what Vertex tells its container about the deployment. */
export interface DeploymentIdentity {
  /** The last segment of the endpoint's name. */
  readonly endpointId: string;
  /** The DeployedModel's id on that endpoint. */
  readonly deployedModelId: string;
  /** Set on Vertex from the project; only given locally when the endpoint's project is a number. */
  readonly projectNumber?: string;
  /** DeployModel's `dedicated_resources.machine_spec`, when it named them. */
  readonly machineType?: string;
  readonly acceleratorType?: string;
}

export interface ServingRoutes {
  readonly predictRoute: string;
  readonly healthRoute: string;
}

/** The routes a container gets when its spec names none: Vertex's defaults for a deployed model. */
export function defaultServingRoutes(deployment: DeploymentIdentity): ServingRoutes {
  const base = `/v1/endpoints/${deployment.endpointId}/deployedModels/${deployment.deployedModelId}`;
  return { predictRoute: `${base}:predict`, healthRoute: base };
}

export interface AipSettings extends DeploymentIdentity, ServingRoutes {
  /** The port the server must listen on (locally a free loopback port, not the spec's containerPort). */
  readonly port: number;
  /** The model's artifact folder ('' for a model uploaded without one, as on Vertex). */
  readonly storageUri: string;
}

/** Every AIP_* variable Vertex sets, with the values of this deployment. */
export function aipVariables(settings: AipSettings): Record<string, string> {
  return {
    AIP_MODE: 'PREDICTION',
    AIP_MODE_VERSION: '1.0.0',
    AIP_FRAMEWORK: 'CUSTOM_CONTAINER',
    AIP_HTTP_PORT: String(settings.port),
    AIP_PREDICT_ROUTE: settings.predictRoute,
    AIP_HEALTH_ROUTE: settings.healthRoute,
    AIP_STORAGE_URI: settings.storageUri,
    AIP_ENDPOINT_ID: settings.endpointId,
    AIP_DEPLOYED_MODEL_ID: settings.deployedModelId,
    // Vertex keeps these two for compatibility: the endpoint id and the deployed model id again.
    AIP_MODEL_NAME: settings.endpointId,
    AIP_VERSION_NAME: settings.deployedModelId,
    ...(settings.projectNumber ? { AIP_PROJECT_NUMBER: settings.projectNumber } : {}),
    ...(settings.machineType ? { AIP_MACHINE_TYPE: settings.machineType } : {}),
    ...(settings.acceleratorType ? { AIP_ACCELERATOR_TYPE: settings.acceleratorType } : {}),
  };
}

/**
 * Expands `$(NAME)` with `variables`, as Vertex (Kubernetes) expands the command, args and env
 * values: an unknown name is left as written, and `$$` stands for a literal `$` (so `$$(NAME)` is
 * the text `$(NAME)`).
 */
export function expandReferences(text: string, variables: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([^)]*)\)/g, (match, name: string | undefined) =>
    name === undefined ? '$' : Object.hasOwn(variables, name) ? variables[name]! : match,
  );
}

/**
 * The containerSpec's env on top of the AIP_* variables: each value may reference the AIP_*
 * variables and the entries before it (not those after it), as on Vertex. AIP_* names are
 * Vertex's own (its documentation forbids setting them), so an entry cannot replace them: a
 * server told another port than the one health checks go to would never become ready.
 */
export function containerEnvironment(
  aip: Readonly<Record<string, string>>,
  env: readonly { readonly name: string; readonly value: string }[],
): Record<string, string> {
  const result: Record<string, string> = { ...aip };
  for (const { name, value } of env) if (!name.startsWith('AIP_')) result[name] = expandReferences(value, result);
  return result;
}
