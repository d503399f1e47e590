/**
 * GCPC 2.22.0 `EndpointCreateOp` (`v1/endpoint/create_endpoint`): creates a Vertex AI endpoint
 * that models are then deployed to (google_cloud_pipeline_components/v1/endpoint/create_endpoint/
 * component.py in https://github.com/kubeflow/pipelines/tree/master/components/google-cloud).
 */
import { VertexEndpoint, concat, containerComponent, executorInput, t } from '../../compiler';
import { endpointCreateDescriptions as docs } from './gcpc-descriptions';
import { GCPC_IMAGE, PIPELINE_PROJECT_ID, launcherCommand, payloadOpening, resourceFlags } from './gcpc-image';

export const EndpointCreateOp = containerComponent({
  name: 'endpoint-create',
  inputs: {
    display_name: t.string({ description: docs.inputs.display_name }),
    location: t.string({ default: 'us-central1', description: docs.inputs.location }),
    description: t.string({ default: '', description: docs.inputs.description }),
    labels: t.struct<Record<string, string>>({ default: {}, description: docs.inputs.labels }),
    encryption_spec_key_name: t.string({ default: '', description: docs.inputs.encryption_spec_key_name }),
    network: t.string({ default: '', description: docs.inputs.network }),
    project: t.string({ default: PIPELINE_PROJECT_ID, description: docs.inputs.project }),
  },
  outputs: {
    endpoint: t.artifact(VertexEndpoint, { description: docs.outputs.endpoint }),
    gcp_resources: t.string({ description: docs.outputs.gcp_resources }),
  },
  image: GCPC_IMAGE,
  command: launcherCommand('CreateEndpoint'),
  args: ({ inputs, outputs }) => [
    '--type',
    'CreateEndpoint',
    '--payload',
    concat(
      ...payloadOpening(inputs.display_name, inputs.description),
      ', "labels": ',
      inputs.labels,
      ', "encryption_spec": {"kms_key_name":"',
      inputs.encryption_spec_key_name,
      '"}',
      ', "network": "',
      inputs.network,
      '"',
      '}',
    ),
    ...resourceFlags(inputs.project, inputs.location, outputs.gcp_resources.path),
    '--executor_input',
    executorInput,
  ],
});
