/**
 * GCPC 2.22.0 `ModelUploadOp` (`v1/model/upload_model`): uploads a model to the Vertex AI Model
 * Registry, as a new model or, given `parent_model`, as a new version of it. Input names are
 * GCPC's snake_case ones because they are the IR's input names; a pipeline ported from Python
 * passes the same keys. The payload's layout follows GCPC's `model_upload` component.py item by
 * item (google_cloud_pipeline_components/v1/model/upload_model/component.py); the
 * `unmanaged_container_model` is not in it (the launcher reads it from `--executor_input`).
 */
import { UnmanagedContainerModel, VertexModel, concat, containerComponent, executorInput, ifPresent, t } from '../../compiler';
import { modelUploadDescriptions as docs } from './gcpc-descriptions';
import {
  GCPC_IMAGE,
  PIPELINE_PROJECT_ID,
  explanationSpec,
  inputArtifactMetadata,
  launcherCommand,
  payloadOpening,
  resourceFlags,
} from './gcpc-image';

export const ModelUploadOp = containerComponent({
  name: 'model-upload',
  inputs: {
    display_name: t.string({ description: docs.inputs.display_name }),
    location: t.string({ default: 'us-central1', description: docs.inputs.location }),
    description: t.string({ default: '', description: docs.inputs.description }),
    parent_model: t.artifact(VertexModel, { optional: true, description: docs.inputs.parent_model }),
    unmanaged_container_model: t.artifact(UnmanagedContainerModel, { optional: true, description: docs.inputs.unmanaged_container_model }),
    explanation_metadata: t.struct({ default: {}, description: docs.inputs.explanation_metadata }),
    explanation_parameters: t.struct({ default: {}, description: docs.inputs.explanation_parameters }),
    version_aliases: t.list<string>({ default: [], description: docs.inputs.version_aliases }),
    labels: t.struct<Record<string, string>>({ default: {}, description: docs.inputs.labels }),
    encryption_spec_key_name: t.string({ default: '', description: docs.inputs.encryption_spec_key_name }),
    project: t.string({ default: PIPELINE_PROJECT_ID, description: docs.inputs.project }),
  },
  outputs: {
    model: t.artifact(VertexModel, { description: docs.outputs.model }),
    gcp_resources: t.string({ description: docs.outputs.gcp_resources }),
  },
  image: GCPC_IMAGE,
  command: launcherCommand('UploadModel'),
  args: ({ inputs, outputs }) => [
    '--type',
    'UploadModel',
    '--payload',
    concat(
      ...payloadOpening(inputs.display_name, inputs.description),
      ...explanationSpec(inputs.explanation_parameters, inputs.explanation_metadata),
      ', "encryption_spec": {"kms_key_name":"',
      inputs.encryption_spec_key_name,
      '"}',
      ', "version_aliases": ',
      inputs.version_aliases,
      ', "labels": ',
      inputs.labels,
      ', "pipeline_job": "',
      `projects/${inputs.project}/locations/${inputs.location}/pipelineJobs/{{$.pipeline_job_uuid}}`,
      '"',
      '}',
    ),
    ...resourceFlags(inputs.project, inputs.location, outputs.gcp_resources.path),
    '--executor_input',
    executorInput,
    ifPresent(inputs.parent_model, ['--parent_model_name', inputArtifactMetadata(inputs.parent_model, 'resourceName')]),
  ],
});
