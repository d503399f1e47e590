/**
 * UploadModel, locally: registers a version in the local model registry and outputs the
 * `google.VertexModel` artifact GCPC outputs (uri = the model's REST address, metadata
 * `resourceName` = `projects/…/models/ID@VERSION`). As in GCPC, the serving container, predict
 * schemata and artifact folder come from the `unmanaged_container_model` input artifact.
 */
import type { LocalLaunch } from '../../runner/local-launchers';
import { LOCAL_PROJECT, resourceApiUri } from '../vertex-resource-names';
import { openLocalRegistry } from '../registry/local-registry';
import {
  checkType,
  inputArtifact,
  mergedLabels,
  parseExecutorInput,
  parsePayload,
  snakeCaseKeys,
  writeGcpResources,
  writeOutputArtifact,
  type LauncherArgs,
} from './launcher-args';

export async function uploadModelLocally(launch: LocalLaunch, args: LauncherArgs): Promise<void> {
  checkType(args, 'UploadModel');
  const payload = parsePayload(args);
  const executorInput = parseExecutorInput(args);
  const containerModel = inputArtifact(executorInput, 'unmanaged_container_model');
  const project = args.project || LOCAL_PROJECT;
  const location = args.location;
  if (!location) throw new Error('--location is empty; ModelUploadOp needs a location such as us-central1.');
  const displayName = payload['display_name'];
  if (typeof displayName !== 'string') throw new Error('the payload has no display_name; ModelUploadOp needs a display_name.');
  const metadata = (containerModel?.['metadata'] ?? {}) as Record<string, unknown>;
  const version = openLocalRegistry(launch.stateDir).models.upload({
    project,
    location,
    displayName,
    ...(typeof payload['description'] === 'string' ? { description: payload['description'] } : {}),
    ...(containerModel ? { artifactUri: String(containerModel['uri'] ?? '') } : {}),
    containerSpec: (snakeCaseKeys(metadata['containerSpec']) ?? {}) as Record<string, unknown>,
    predictSchemata: (snakeCaseKeys(metadata['predictSchemata']) ?? {}) as Record<string, unknown>,
    labels: mergedLabels(payload['labels'], launch.env),
    versionAliases: (payload['version_aliases'] as string[] | undefined) ?? [],
    // The payload names the job under --project, which is '' when the run has no Google Cloud project.
    ...(typeof payload['pipeline_job'] === 'string'
      ? { pipelineJob: payload['pipeline_job'].replace(/^projects\/\//, `projects/${project}/`) }
      : {}),
    // As the launcher does, any @version suffix of the parent is dropped.
    ...(args.parentModelName ? { parentModel: args.parentModelName.replace(/@[^/]*$/, '') } : {}),
  });
  writeGcpResources(args, location, version.name.replace(/@.*$/, ''));
  writeOutputArtifact(executorInput, 'model', resourceApiUri(location, version.name), { resourceName: version.name });
  launch.log(`uploaded ${version.name} (${displayName}) from ${version.artifactUri || '(no artifact)'}`);
}
