/**
 * DeployModel, locally: adds the model version to the endpoint record (with GCPC's traffic split
 * semantics, see endpoint-registry.ts), makes sure the state folder's detached prediction server
 * is running, and waits until it serves the endpoint's models, as Vertex's operation completes
 * only once the model serves. The server runs each deployed model's serving command from its
 * containerSpec on this machine (see model-server/).
 *
 * A model that cannot run here (no command, a command not on this machine, no artifact here) is
 * refused before anything is recorded or started. One that fails to become healthy is undeployed
 * again, its command stopped, and a server this deployment started for it stopped too.
 */
import type { LocalLaunch } from '../../runner/local-launchers';
import { ensureDetachedServer, stopDetachedServer } from '../detached-server';
import { projectCommandSearchPath } from '../model-server/command-search-path';
import { planModelServer, type ServingHost } from '../model-server/model-server-plan';
import { withTraffic } from '../endpoint-server/endpoint-records';
import type { DeployedMachine } from '../registry/endpoint-registry';
import { openLocalRegistry, type LocalRegistry } from '../registry/local-registry';
import { parseEndpointName, predictPath } from '../vertex-resource-names';
import { checkType, parsePayload, writeGcpResources, type LauncherArgs } from './launcher-args';

export interface LocalServingOptions {
  /** Folders a serving command's bare name is looked up in. @default projectCommandSearchPath(the run's working directory) */
  readonly commandSearchPath?: readonly string[];
}

export async function deployModelLocally(launch: LocalLaunch, args: LauncherArgs, options: LocalServingOptions = {}): Promise<void> {
  checkType(args, 'DeployModel');
  const payload = parsePayload(args);
  const endpointName = String(payload['endpoint'] ?? '');
  const { location, endpointId } = parseEndpointName(endpointName);
  const deployedModel = (payload['deployed_model'] ?? {}) as Record<string, unknown>;
  const modelName = deployedModel['model'];
  if (typeof modelName !== 'string')
    throw new Error("the payload has no deployed_model.model; pass ModelDeployOp the upload step's model output.");
  const registry = openLocalRegistry(launch.stateDir);
  const host: ServingHost = {
    workingDirectory: launch.workingDirectory,
    commandSearchPath: options.commandSearchPath ?? projectCommandSearchPath(launch.workingDirectory, launch.env),
  };
  // Throws ModelNotServableError, saying what to change, before any record or process exists.
  planModelServer(registry.models.resolve(modelName), { endpointId, deployedModelId: 'check' }, 0, host);
  const { deployed, previous } = registry.endpoints.deploy(
    endpointName,
    modelName,
    trafficSplitOf(payload),
    new Date(),
    machineOf(deployedModel),
  );
  writeGcpResources(args, location, endpointName);
  let server: Awaited<ReturnType<typeof ensureDetachedServer>> | undefined;
  try {
    server = await ensureDetachedServer(launch.stateDir, host);
    // A cancelled run stops here, and the catch below undoes the deployment record.
    launch.signal?.throwIfAborted();
    const response = await fetch(`${server.url}/v1/${endpointName}`, launch.signal ? { signal: launch.signal } : {});
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      throw new Error(body.error?.message ?? `the prediction server answered ${response.status}`);
    }
    const split = registry.endpoints.get(endpointId)!.trafficSplit;
    launch.log(`deployed ${deployed.model} to ${endpointName} as deployed model ${deployed.id} (${split[deployed.id] ?? 0} % of traffic)`);
    launch.log(
      `predict: POST ${server.url}${predictPath(endpointName)}  (server pid ${server.pid}${server.started ? ', started now' : ''})`,
    );
  } catch (error) {
    // The server stops the undeployed model's serving command by itself once the record is back.
    registry.endpoints.undeploy(deployed, previous);
    if (server?.started && !servesAnything(registry)) await stopDetachedServer(launch.stateDir);
    throw new Error(`deploying ${modelName} to ${endpointName} failed, so it was undeployed again: ${(error as Error).message}`);
  }
}

/**
 * The payload's traffic split with numeric percents: GCPC declares it `Dict[str, str]` and Vertex
 * reads `{"0": "100"}` as 100, so text that is a number counts as that number (anything else is
 * left for the registry to reject with its reason).
 */
function trafficSplitOf(payload: Record<string, unknown>): Record<string, number> {
  const split = (payload['traffic_split'] ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(split).map(([id, percent]) => [
      id,
      typeof percent === 'string' && percent.trim() !== '' && !Number.isNaN(Number(percent)) ? Number(percent) : (percent as number),
    ]),
  );
}

/** DeployModel's `dedicated_resources.machine_spec`, as the deployed model records it. */
function machineOf(deployedModel: Record<string, unknown>): DeployedMachine {
  const resources = (deployedModel['dedicated_resources'] ?? {}) as Record<string, unknown>;
  const spec = (resources['machine_spec'] ?? {}) as Record<string, unknown>;
  return {
    ...(typeof spec['machine_type'] === 'string' ? { machineType: spec['machine_type'] } : {}),
    ...(typeof spec['accelerator_type'] === 'string' ? { acceleratorType: spec['accelerator_type'] } : {}),
  };
}

/** Whether any endpoint of the registry has a deployed model with traffic (which a running server serves). */
function servesAnything(registry: LocalRegistry): boolean {
  return registry.endpoints.list().some((endpoint) => withTraffic(endpoint).length > 0);
}
