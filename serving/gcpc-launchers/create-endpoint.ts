/**
 * CreateEndpoint, locally: a new endpoint record in the local registry, output as the
 * `google.VertexEndpoint` artifact GCPC outputs (metadata `resourceName`).
 */
import type { LocalLaunch } from '../../runner/local-launchers';
import { LOCAL_PROJECT, resourceApiUri } from '../vertex-resource-names';
import { openLocalRegistry } from '../registry/local-registry';
import {
  checkType,
  mergedLabels,
  parseExecutorInput,
  parsePayload,
  writeGcpResources,
  writeOutputArtifact,
  type LauncherArgs,
} from './launcher-args';

export async function createEndpointLocally(launch: LocalLaunch, args: LauncherArgs): Promise<void> {
  checkType(args, 'CreateEndpoint');
  const payload = parsePayload(args);
  const executorInput = parseExecutorInput(args);
  const location = args.location;
  if (!location) throw new Error('--location is empty; EndpointCreateOp needs a location such as us-central1.');
  const displayName = payload['display_name'];
  if (typeof displayName !== 'string') throw new Error('the payload has no display_name; EndpointCreateOp needs a display_name.');
  const endpoint = openLocalRegistry(launch.stateDir).endpoints.create({
    project: args.project || LOCAL_PROJECT,
    location,
    displayName,
    ...(typeof payload['description'] === 'string' ? { description: payload['description'] } : {}),
    labels: mergedLabels(payload['labels'], launch.env),
    ...(typeof payload['network'] === 'string' ? { network: payload['network'] } : {}),
  });
  writeGcpResources(args, location, endpoint.name);
  writeOutputArtifact(executorInput, 'endpoint', resourceApiUri(location, endpoint.name), { resourceName: endpoint.name });
  launch.log(`created ${endpoint.name} (${displayName})`);
}
