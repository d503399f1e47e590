/**
 * The local model registry and endpoints of one state folder (`.kfp-ts/` by default: the folder of
 * the runner's metadata.sqlite), under `<state>/registry/`.
 */
import * as path from 'node:path';
import { EndpointRegistry } from './endpoint-registry';
import { ModelRegistry } from './model-registry';

export interface LocalRegistry {
  readonly root: string;
  readonly models: ModelRegistry;
  readonly endpoints: EndpointRegistry;
}

export function registryRoot(stateDir: string): string {
  return path.join(stateDir, 'registry');
}

export function openLocalRegistry(stateDir: string): LocalRegistry {
  const root = registryRoot(stateDir);
  const models = new ModelRegistry(root);
  return { root, models, endpoints: new EndpointRegistry(root, models) };
}
