/**
 * GCPC 2.22.0 `ModelDeployOp` (`v1/endpoint/deploy_model`): deploys a registered model to an
 * endpoint (google_cloud_pipeline_components/v1/endpoint/deploy_model/component.py). As in GCPC, `endpoint` is declared optional but the payload
 * always reads its resourceName, so pass one; `deployed_model_display_name` is declared and never
 * sent; `--project` and `--location` are literal empty strings (the launcher reads the location
 * from the endpoint name); `traffic_split` `{}` leaves the endpoint's split as it is, so pass
 * `{"0": 100}` for the new model to take all traffic.
 */
import { VertexEndpoint, VertexModel, concat, containerComponent, t } from '../../compiler';
import { modelDeployDescriptions as docs } from './gcpc-descriptions';
import { GCPC_IMAGE, explanationSpec, inputArtifactMetadata, launcherCommand, resourceFlags } from './gcpc-image';

/**
 * Percent of the endpoint's traffic per deployed model ID, `"0"` being the model this task deploys.
 * GCPC declares it `Dict[str, str]` and Vertex reads the percents as numbers, so both
 * `{ '0': 100 }` and GCPC's `{ '0': '100' }` are accepted.
 */
export type TrafficSplit = Record<string, number | string>;

export const ModelDeployOp = containerComponent({
  name: 'model-deploy',
  inputs: {
    model: t.artifact(VertexModel, { description: docs.inputs.model }),
    endpoint: t.artifact(VertexEndpoint, { optional: true, description: docs.inputs.endpoint }),
    deployed_model_display_name: t.string({ default: '', description: docs.inputs.deployed_model_display_name }),
    traffic_split: t.struct<TrafficSplit>({ default: {}, description: docs.inputs.traffic_split }),
    dedicated_resources_machine_type: t.string({ default: '', description: docs.inputs.dedicated_resources_machine_type }),
    dedicated_resources_min_replica_count: t.int({ default: 0, description: docs.inputs.dedicated_resources_min_replica_count }),
    dedicated_resources_max_replica_count: t.int({ default: 0, description: docs.inputs.dedicated_resources_max_replica_count }),
    dedicated_resources_accelerator_type: t.string({ default: '', description: docs.inputs.dedicated_resources_accelerator_type }),
    dedicated_resources_accelerator_count: t.int({ default: 0, description: docs.inputs.dedicated_resources_accelerator_count }),
    automatic_resources_min_replica_count: t.int({ default: 0, description: docs.inputs.automatic_resources_min_replica_count }),
    automatic_resources_max_replica_count: t.int({ default: 0, description: docs.inputs.automatic_resources_max_replica_count }),
    service_account: t.string({ default: '', description: docs.inputs.service_account }),
    disable_container_logging: t.bool({ default: false, description: docs.inputs.disable_container_logging }),
    enable_access_logging: t.bool({ default: false, description: docs.inputs.enable_access_logging }),
    explanation_metadata: t.struct({ default: {}, description: docs.inputs.explanation_metadata }),
    explanation_parameters: t.struct({ default: {}, description: docs.inputs.explanation_parameters }),
  },
  outputs: { gcp_resources: t.string({ description: docs.outputs.gcp_resources }) },
  image: GCPC_IMAGE,
  command: launcherCommand('DeployModel'),
  args: ({ inputs, outputs }) => [
    '--type',
    'DeployModel',
    '--payload',
    concat(
      '{',
      '"endpoint": "',
      inputArtifactMetadata(inputs.endpoint, 'resourceName'),
      '"',
      ', "traffic_split": ',
      inputs.traffic_split,
      ', "deployed_model": {',
      '"model": "',
      inputArtifactMetadata(inputs.model, 'resourceName'),
      '"',
      ', "dedicated_resources": {',
      '"machine_spec": {',
      '"machine_type": "',
      inputs.dedicated_resources_machine_type,
      '"',
      ', "accelerator_type": "',
      inputs.dedicated_resources_accelerator_type,
      '"',
      ', "accelerator_count": ',
      inputs.dedicated_resources_accelerator_count,
      '}',
      ', "min_replica_count": ',
      inputs.dedicated_resources_min_replica_count,
      ', "max_replica_count": ',
      inputs.dedicated_resources_max_replica_count,
      '}',
      ', "automatic_resources": {',
      '"min_replica_count": ',
      inputs.automatic_resources_min_replica_count,
      ', "max_replica_count": ',
      inputs.automatic_resources_max_replica_count,
      '}',
      ', "service_account": "',
      inputs.service_account,
      '"',
      ', "disable_container_logging": ',
      inputs.disable_container_logging,
      ', "enable_access_logging": ',
      inputs.enable_access_logging,
      ...explanationSpec(inputs.explanation_parameters, inputs.explanation_metadata),
      '}',
      '}',
    ),
    ...resourceFlags('', '', outputs.gcp_resources.path),
  ],
});
