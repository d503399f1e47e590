/**
 * DeployModel, locally: adds the model version to the endpoint record (with GCPC's traffic split
 * semantics, see endpoint-registry.ts), makes sure the state folder's detached prediction server
 * is running, and waits until it has loaded the endpoint's models, as Vertex's operation completes
 * only once the model serves. A model that fails to load is undeployed again and fails the task.
 */
import type { LocalLaunch } from '../../runner/local-launchers';
import { ensureDetachedServer } from '../detached-server';
import { openLocalRegistry } from '../registry/local-registry';
import { parseEndpointName, predictPath } from '../resource-names';
import { checkType, parsePayload, writeGcpResources, type LauncherArgs } from './launcher-args';

export async function deployModelLocally(launch: LocalLaunch, args: LauncherArgs): Promise<void> {
  checkType(args, 'DeployModel');
  const payload = parsePayload(args);
  const endpointName = String(payload['endpoint'] ?? '');
  const { location } = parseEndpointName(endpointName);
  const deployedModel = (payload['deployed_model'] ?? {}) as Record<string, unknown>;
  const modelName = deployedModel['model'];
  if (typeof modelName !== 'string') throw new Error("the payload has no deployed_model.model; pass ModelDeployOp the upload step's model output.");
  const registry = openLocalRegistry(launch.stateDir);
  const { deployed, previous } = registry.endpoints.deploy(endpointName, modelName, (payload['traffic_split'] ?? {}) as Record<string, number>);
  writeGcpResources(args, location, endpointName);
  try {
    const server = await ensureDetachedServer(launch.stateDir);
    // A cancelled run stops here, and the catch below undoes the deployment record.
    launch.signal?.throwIfAborted();
    const response = await fetch(`${server.url}/v1/${endpointName}`, launch.signal ? { signal: launch.signal } : {});
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      throw new Error(body.error?.message ?? `the prediction server answered ${response.status}`);
    }
    const split = registry.endpoints.get(parseEndpointName(endpointName).endpointId)!.trafficSplit;
    launch.log(`deployed ${deployed.model} to ${endpointName} as deployed model ${deployed.id} (${split[deployed.id] ?? 0} % of traffic)`);
    launch.log(`predict: POST ${server.url}${predictPath(endpointName)}  (server pid ${server.pid}${server.started ? ', started now' : ''})`);
  } catch (error) {
    registry.endpoints.restore(previous);
    throw new Error(`deploying ${modelName} to ${endpointName} failed, so it was undeployed again: ${(error as Error).message}`);
  }
}
