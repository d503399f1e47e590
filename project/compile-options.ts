import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CompileOptions } from '../compiler/synth/compile-pipeline';
import type { ProjectImageBuild } from '../compiler/step-packaging/step-container';
import { checkRegistry } from '../containers/images';
import { ConfigError } from './config-error';
import type { LoadedConfig } from './load-config';
import { imageContentTag } from './image-hash';

/** One project image as the configuration defines it, with its files resolved and its content-hash tag in `image`. */
export interface ResolvedProjectImage extends ProjectImageBuild {
  readonly name: string;
  readonly dockerfile: string;
}

export function resolveProjectImages({ config, file, folder }: LoadedConfig): ResolvedProjectImage[] {
  const registry = config.registry === undefined ? undefined : checkRegistry(config.registry, `${file}: registry`);
  // Images built from the same context (often the project root) hash what it sends once.
  const hashedContexts = new Map<string, Buffer>();
  return Object.entries(config.images ?? {}).map(([name, image]) => {
    const context = path.resolve(folder, image.context ?? '.');
    const dockerfile = path.resolve(folder, image.dockerfile ?? 'Dockerfile');
    if (!fs.existsSync(dockerfile)) {
      throw new ConfigError(
        `${file}: images.${name}: no Dockerfile at ${dockerfile}; run kfp-ts build to write a starting point, or set images.${name}.dockerfile`,
      );
    }
    if (!fs.existsSync(context) || !fs.statSync(context).isDirectory())
      throw new ConfigError(`${file}: images.${name}: the context ${context} is not a folder`);
    const tag = imageContentTag(context, dockerfile, hashedContexts);
    const repository = image.repository ?? name;
    return { name, dockerfile, context, image: `${registry === undefined ? '' : `${registry}/`}${repository}:${tag}` };
  });
}

/** The compile options a configuration stands for: everything the compiler takes from outside the code. */
export function compileOptionsFromConfig(loaded: LoadedConfig): CompileOptions {
  const { config } = loaded;
  const images = resolveProjectImages(loaded);
  return {
    ...(config.pipelineRoot !== undefined ? { pipelineRoot: config.pipelineRoot } : {}),
    steps: {
      ...(config.nodeImage !== undefined ? { nodeImage: config.nodeImage } : {}),
      ...(config.maxStepBundleBytes !== undefined ? { maxBundleBytes: config.maxStepBundleBytes } : {}),
      projectImages: Object.fromEntries(images.map(({ name, image, context }) => [name, { image, context }])),
    },
  };
}
