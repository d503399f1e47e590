import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { compileToYaml } from '../../../compiler';
import { validatePipelineSpec } from '../../../compiler/ir/validate-pipeline-spec';
import { pythonJsonDumps } from '../../../compiler/util/python-json';
import gcpcPipeline from './gcpc-pipeline';

/**
 * GCPC 2.22.0 compatibility: the golden (regenerate with `REGENERATE_GOLDENS=1 npx jest
 * test/components/gcpc` after an intended change) catches any drift; the sharp asserts below are
 * written from GCPC 2.22.0's Python sources (google_cloud_pipeline_components/v1/model/upload_model,
 * v1/endpoint/create_endpoint, v1/endpoint/deploy_model), independently of the component sources, so
 * a golden regenerated from a wrong component still fails here. The KFP goldens hold no pipeline
 * that uses these GCPC components, so the reference's tables are the oracle.
 */
const golden = path.join(__dirname, 'goldens', 'gcpc-upload-and-deploy.yaml');
const regenerate = process.env['REGENERATE_GOLDENS'] === '1' && process.env['CI'] !== 'true';
const text = compileToYaml(gcpcPipeline, { sdkVersion: 'kfp-ts-golden' });
const spec = yaml.load(text) as any;

const IMAGE = 'gcr.io/ml-pipeline/google-cloud-pipeline-components:2.22.0';
const P = (name: string) => `{{$.inputs.parameters['${name}']}}`;
const AM = (name: string, key: string) => `{{$.inputs.artifacts['${name}'].metadata['${key}']}}`;
const OUT_FILE = (name: string) => `{{$.outputs.parameters['${name}'].output_file}}`;
const concat = (items: string[]) => pythonJsonDumps({ Concat: items });
const type = (schemaTitle: string) => ({ artifactType: { schemaTitle, schemaVersion: '0.0.1' } });
const command = (module: string) => ['python3', '-u', '-m', `google_cloud_pipeline_components.container.v1.${module}.launcher`];
const optional = (parameterType: string, defaultValue: unknown) => ({ parameterType, defaultValue, isOptional: true });
/** Input or output definitions without their `description`s (checked on their own below). */
const undescribed = (definitions: Record<string, any>): Record<string, any> =>
  JSON.parse(
    JSON.stringify(definitions, (_key, value) => {
      if (typeof value !== 'object' || value === null || !('parameterType' in value || 'artifactType' in value)) return value;
      const { description: _description, ...rest } = value;
      return rest;
    }),
  );

it('compiles to schema-valid IR equal to its golden', () => {
  expect(validatePipelineSpec(spec)).toEqual([]);
  if (regenerate) fs.writeFileSync(golden, text);
  expect(text).toBe(fs.readFileSync(golden, 'utf8'));
});

describe('ModelUploadOp', () => {
  const component = spec.components['comp-model-upload'];
  const executor = spec.deploymentSpec.executors['exec-model-upload'].container;

  it('runs the upload launcher of the pinned GCPC image', () => {
    expect(executor.image).toBe(IMAGE);
    expect(executor.command).toEqual(command('model.upload_model'));
  });

  it('passes the payload, project, location, gcp_resources, the executor input and an IfPresent parent model', () => {
    const payload = concat([
      '{',
      '"display_name": "',
      P('display_name'),
      '"',
      ', "description": "',
      P('description'),
      '"',
      ', "explanation_spec": {',
      '"parameters": ',
      P('explanation_parameters'),
      ', "metadata": ',
      P('explanation_metadata'),
      '}',
      ', "encryption_spec": {"kms_key_name":"',
      P('encryption_spec_key_name'),
      '"}',
      ', "version_aliases": ',
      P('version_aliases'),
      ', "labels": ',
      P('labels'),
      ', "pipeline_job": "',
      `projects/${P('project')}/locations/${P('location')}/pipelineJobs/{{$.pipeline_job_uuid}}`,
      '"',
      '}',
    ]);
    expect(executor.args).toEqual([
      '--type',
      'UploadModel',
      '--payload',
      payload,
      '--project',
      P('project'),
      '--location',
      P('location'),
      '--gcp_resources',
      OUT_FILE('gcp_resources'),
      '--executor_input',
      '{{$}}',
      `{"IfPresent": {"InputName": "parent_model", "Then": ["--parent_model_name", "${AM('parent_model', 'resourceName')}"]}}`,
    ]);
  });

  it('declares the inputs with their IR types, defaults and optional artifacts, and the outputs', () => {
    expect(undescribed(component.inputDefinitions.parameters)).toEqual({
      display_name: { parameterType: 'STRING' },
      location: optional('STRING', 'us-central1'),
      description: optional('STRING', ''),
      explanation_metadata: optional('STRUCT', {}),
      explanation_parameters: optional('STRUCT', {}),
      version_aliases: optional('LIST', []),
      labels: optional('STRUCT', {}),
      encryption_spec_key_name: optional('STRING', ''),
      project: optional('STRING', '{{$.pipeline_google_cloud_project_id}}'),
    });
    expect(undescribed(component.inputDefinitions.artifacts)).toEqual({
      parent_model: { ...type('google.VertexModel'), isOptional: true },
      unmanaged_container_model: { ...type('google.UnmanagedContainerModel'), isOptional: true },
    });
    expect(undescribed(component.outputDefinitions)).toEqual({
      artifacts: { model: type('google.VertexModel') },
      parameters: { gcp_resources: { parameterType: 'STRING' } },
    });
  });
});

describe('EndpointCreateOp', () => {
  const component = spec.components['comp-endpoint-create'];
  const executor = spec.deploymentSpec.executors['exec-endpoint-create'].container;

  it('runs the create_endpoint launcher with its payload and no IfPresent', () => {
    expect(executor.image).toBe(IMAGE);
    expect(executor.command).toEqual(command('endpoint.create_endpoint'));
    const payload = concat([
      '{',
      '"display_name": "',
      P('display_name'),
      '"',
      ', "description": "',
      P('description'),
      '"',
      ', "labels": ',
      P('labels'),
      ', "encryption_spec": {"kms_key_name":"',
      P('encryption_spec_key_name'),
      '"}',
      ', "network": "',
      P('network'),
      '"',
      '}',
    ]);
    expect(executor.args).toEqual([
      '--type',
      'CreateEndpoint',
      '--payload',
      payload,
      '--project',
      P('project'),
      '--location',
      P('location'),
      '--gcp_resources',
      OUT_FILE('gcp_resources'),
      '--executor_input',
      '{{$}}',
    ]);
  });

  it('declares its inputs and the VertexEndpoint output', () => {
    expect(undescribed(component.inputDefinitions)).toEqual({
      parameters: {
        display_name: { parameterType: 'STRING' },
        location: optional('STRING', 'us-central1'),
        description: optional('STRING', ''),
        labels: optional('STRUCT', {}),
        encryption_spec_key_name: optional('STRING', ''),
        network: optional('STRING', ''),
        project: optional('STRING', '{{$.pipeline_google_cloud_project_id}}'),
      },
    });
    expect(undescribed(component.outputDefinitions)).toEqual({
      artifacts: { endpoint: type('google.VertexEndpoint') },
      parameters: { gcp_resources: { parameterType: 'STRING' } },
    });
  });
});

describe('ModelDeployOp', () => {
  const component = spec.components['comp-model-deploy'];
  const executor = spec.deploymentSpec.executors['exec-model-deploy'].container;

  it('runs the deploy_model launcher with literal empty project and location and no executor input', () => {
    expect(executor.image).toBe(IMAGE);
    expect(executor.command).toEqual(command('endpoint.deploy_model'));
    const payload = concat([
      '{',
      '"endpoint": "',
      AM('endpoint', 'resourceName'),
      '"',
      ', "traffic_split": ',
      P('traffic_split'),
      ', "deployed_model": {',
      '"model": "',
      AM('model', 'resourceName'),
      '"',
      ', "dedicated_resources": {',
      '"machine_spec": {',
      '"machine_type": "',
      P('dedicated_resources_machine_type'),
      '"',
      ', "accelerator_type": "',
      P('dedicated_resources_accelerator_type'),
      '"',
      ', "accelerator_count": ',
      P('dedicated_resources_accelerator_count'),
      '}',
      ', "min_replica_count": ',
      P('dedicated_resources_min_replica_count'),
      ', "max_replica_count": ',
      P('dedicated_resources_max_replica_count'),
      '}',
      ', "automatic_resources": {',
      '"min_replica_count": ',
      P('automatic_resources_min_replica_count'),
      ', "max_replica_count": ',
      P('automatic_resources_max_replica_count'),
      '}',
      ', "service_account": "',
      P('service_account'),
      '"',
      ', "disable_container_logging": ',
      P('disable_container_logging'),
      ', "enable_access_logging": ',
      P('enable_access_logging'),
      ', "explanation_spec": {',
      '"parameters": ',
      P('explanation_parameters'),
      ', "metadata": ',
      P('explanation_metadata'),
      '}',
      '}',
      '}',
    ]);
    expect(executor.args).toEqual([
      '--type',
      'DeployModel',
      '--payload',
      payload,
      '--project',
      '',
      '--location',
      '',
      '--gcp_resources',
      OUT_FILE('gcp_resources'),
    ]);
  });

  it('declares the model, an optional endpoint, the resource settings and only gcp_resources as output', () => {
    expect(undescribed(component.inputDefinitions.artifacts)).toEqual({
      model: type('google.VertexModel'),
      endpoint: { ...type('google.VertexEndpoint'), isOptional: true },
    });
    expect(undescribed(component.inputDefinitions.parameters)).toEqual({
      deployed_model_display_name: optional('STRING', ''),
      traffic_split: optional('STRUCT', {}),
      dedicated_resources_machine_type: optional('STRING', ''),
      dedicated_resources_min_replica_count: optional('NUMBER_INTEGER', 0),
      dedicated_resources_max_replica_count: optional('NUMBER_INTEGER', 0),
      dedicated_resources_accelerator_type: optional('STRING', ''),
      dedicated_resources_accelerator_count: optional('NUMBER_INTEGER', 0),
      automatic_resources_min_replica_count: optional('NUMBER_INTEGER', 0),
      automatic_resources_max_replica_count: optional('NUMBER_INTEGER', 0),
      service_account: optional('STRING', ''),
      disable_container_logging: optional('BOOLEAN', false),
      enable_access_logging: optional('BOOLEAN', false),
      explanation_metadata: optional('STRUCT', {}),
      explanation_parameters: optional('STRUCT', {}),
    });
    expect(undescribed(component.outputDefinitions)).toEqual({ parameters: { gcp_resources: { parameterType: 'STRING' } } });
  });
});

describe('the UnmanagedContainerModel importer', () => {
  it('is a comp-importer whose `artifact` feeds unmanaged_container_model, with the container spec as metadata', () => {
    expect(spec.components['comp-importer']).toEqual({
      executorLabel: 'exec-importer',
      inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } },
      outputDefinitions: { artifacts: { artifact: type('google.UnmanagedContainerModel') } },
    });
    expect(spec.deploymentSpec.executors['exec-importer'].importer).toEqual({
      artifactUri: { runtimeParameter: 'uri' },
      metadata: { containerSpec: { imageUri: 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest' } },
      typeSchema: { schemaTitle: 'google.UnmanagedContainerModel', schemaVersion: '0.0.1' },
    });
    const tasks = spec.root.dag.tasks;
    expect(tasks['model-upload'].inputs.artifacts.unmanaged_container_model.taskOutputArtifact).toEqual({
      producerTask: 'importer',
      outputArtifactKey: 'artifact',
    });
    expect(tasks['model-deploy'].inputs.artifacts).toEqual({
      model: { taskOutputArtifact: { producerTask: 'model-upload', outputArtifactKey: 'model' } },
      endpoint: { taskOutputArtifact: { producerTask: 'endpoint-create', outputArtifactKey: 'endpoint' } },
    });
  });
});

it('writes integer defaults the way the Python compiler prints them (0.0) and keeps the JSON payload strings intact', () => {
  expect(text).toContain('dedicated_resources_min_replica_count:\n          defaultValue: 0.0');
  // kfp.local detects struct placeholders by the literal '{"Concat": ' prefix (with the space).
  for (const name of ['exec-model-upload', 'exec-endpoint-create', 'exec-model-deploy']) {
    expect(spec.deploymentSpec.executors[name].container.args[3].startsWith('{"Concat": ["{", ')).toBe(true);
  }
});

describe('input and output descriptions, as the KFP SDK copies them from GCPC 2.22.0 docstrings', () => {
  const definitions = (component: string) => {
    const { inputDefinitions: inputs, outputDefinitions: outputs } = spec.components[component];
    return [inputs.parameters, inputs.artifacts, outputs.parameters, outputs.artifacts].flatMap((group) => Object.entries(group ?? {})) as [
      string,
      any,
    ][];
  };

  it('describes every input and output of the three components (each docstring documents them all)', () => {
    for (const component of ['comp-model-upload', 'comp-endpoint-create', 'comp-model-deploy']) {
      const undocumented = definitions(component).filter(([, definition]) => typeof definition.description !== 'string');
      expect({ component, undocumented: undocumented.map(([name]) => name) }).toEqual({ component, undocumented: [] });
    }
  });

  it('keeps the text verbatim: double spaces, quotes, and the dedented example lines of a multi-line entry', () => {
    const upload = spec.components['comp-model-upload'];
    expect(upload.inputDefinitions.artifacts.unmanaged_container_model.description).toBe(
      'The unmanaged container model to be uploaded.  The Model can be passed from an upstream step or imported via a KFP `dsl.importer`. Example:\n' +
        'from kfp import dsl\nfrom google_cloud_pipeline_components.types import artifact_types\n\n' +
        "importer_spec = dsl.importer( artifact_uri='gs://managed-pipeline-gcpc-e2e-test/automl-tabular/model', artifact_class=artifact_types.UnmanagedContainerModel, metadata={ 'containerSpec': { 'imageUri': 'us-docker.pkg.dev/vertex-ai/automl-tabular/prediction-server:prod' } })",
    );
    expect(upload.outputDefinitions.artifacts.model.description).toBe('Artifact tracking the created Model version.');
    expect(spec.components['comp-endpoint-create'].inputDefinitions.parameters.location.description).toBe(
      'Location to create the Endpoint. If not set, default to us-central1.',
    );
    const deploy = spec.components['comp-model-deploy'];
    expect(deploy.inputDefinitions.parameters.traffic_split.description).toBe(
      "A map from a DeployedModel's ID to the percentage of this Endpoint's traffic that should be forwarded to that DeployedModel.  If this field is non-empty, then the Endpoint's trafficSplit will be overwritten with it. To refer to the ID of the just being deployed Model, a \"0\" should be used, and the actual ID of the new DeployedModel will be filled in its place by this method. The traffic percentage values must add up to 100.  If this field is empty, then the Endpoint's trafficSplit is not updated.",
    );
    expect(deploy.outputDefinitions.parameters.gcp_resources.description).toBe(
      "Serialized JSON of `gcp_resources` [proto](https://github.com/kubeflow/pipelines/tree/master/components/google-cloud/google_cloud_pipeline_components/proto) which tracks the deploy Model's long-running operation.",
    );
  });
});
