/**
 * The small pipeline the GCPC golden test compiles: the importer pattern, then upload, endpoint
 * create and deploy, as in the example of GCPC's `ModelUploadOp` docstring.
 */
import { pipeline, t } from '../../../compiler';
import { EndpointCreateOp, ModelDeployOp, ModelUploadOp, importUnmanagedContainerModel } from '../../../components/gcpc';

export default pipeline(
  { name: 'gcpc-upload-and-deploy', params: { modelDir: t.string({ default: 'gs://bucket/model/' }) } },
  ({ modelDir }) => {
    const imported = importUnmanagedContainerModel({
      artifactUri: modelDir,
      containerSpec: { imageUri: 'us-docker.pkg.dev/vertex-ai/prediction/sklearn-cpu.1-3:latest' },
    });
    const upload = ModelUploadOp({ display_name: 'm', unmanaged_container_model: imported.outputs.artifact });
    const endpoint = EndpointCreateOp({ display_name: 'ep' });
    ModelDeployOp({
      model: upload.outputs.model,
      endpoint: endpoint.outputs.endpoint,
      dedicated_resources_machine_type: 'n1-standard-4',
      dedicated_resources_min_replica_count: 1,
      dedicated_resources_max_replica_count: 1,
    });
  },
);
