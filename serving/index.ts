/**
 * Local serving: the stand-ins that run GCPC's upload/deploy launchers on this machine (pass them to
 * `runPipeline(spec, { localLaunchers })`), and the local model registry and endpoints they record.
 */
export { gcpcLocalLaunchers, createGcpcLocalLaunchers } from './gcpc-launchers';
export { openLocalRegistry } from './registry/local-registry';
export type { LocalRegistry } from './registry/local-registry';
export { endpointSummary } from './endpoint-summary';
