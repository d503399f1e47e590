/** GCPC 2.22.0-compatible Vertex AI components: the same IR as google_cloud_pipeline_components. */
export { ModelUploadOp } from './model-upload';
export { EndpointCreateOp } from './endpoint-create';
export { ModelDeployOp } from './model-deploy';
export type { TrafficSplit } from './model-deploy';
export { importUnmanagedContainerModel } from './unmanaged-container-model';
export type { ServingContainerSpec, PredictSchemata, UnmanagedContainerModelProps } from './unmanaged-container-model';
export { GCPC_IMAGE, GCPC_VERSION, GCPC_LAUNCHER_MODULES, launcherModuleName } from './gcpc-image';
