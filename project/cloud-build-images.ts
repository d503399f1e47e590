import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { ResolvedProjectImage } from './compile-options';
import { ConfigError } from './config-error';

/** The builder image Cloud Build documents for `docker build` and `docker push`. */
export const DOCKER_BUILDER = 'gcr.io/cloud-builders/docker';

/**
 * The folder to submit as the build's source (`gcloud builds submit --config FILE <source>`): the
 * innermost folder holding every context and Dockerfile, since the build sees only that folder.
 */
export function cloudBuildSourceFolder(images: readonly ResolvedProjectImage[]): string {
  return commonFolder(images.flatMap((image) => [image.context, path.dirname(image.dockerfile)]));
}

/**
 * A Cloud Build config that builds and pushes the project's images with their exact content-hash
 * tags, for machines without a Docker engine. Builds start together (`waitFor: ['-']`); each push
 * follows its build, so the images exist in the registry when the build ends, and `images:` lists
 * them so the build records their digests. `submitCommand` goes into the header comment.
 */
export function cloudBuildImagesConfig(images: readonly ResolvedProjectImage[], configFile: string, submitCommand: string): string {
  if (images.length === 0) throw new ConfigError(`${configFile}: the configuration defines no images to build`);
  const sourceFolder = cloudBuildSourceFolder(images);
  const inSource = (file: string) => path.relative(sourceFolder, file).split(path.sep).join('/') || '.';
  const steps = images.flatMap((image) => [
    {
      id: `build-${image.name}`,
      name: DOCKER_BUILDER,
      args: ['build', '-f', inSource(image.dockerfile), '-t', image.image, inSource(image.context)],
      // BuildKit reads a `<Dockerfile>.dockerignore` beside the Dockerfile, as the tag's hash does;
      // the classic builder would send a different context than the tag describes.
      env: ['DOCKER_BUILDKIT=1'],
      waitFor: ['-'],
    },
    { id: `push-${image.name}`, name: DOCKER_BUILDER, args: ['push', image.image], waitFor: [`build-${image.name}`] },
  ]);
  const header = [
    `# Builds and pushes the images of ${path.basename(configFile)}, each tagged with the hash of its sources.`,
    '# Written by `kfp-ts build --cloudbuild`: write it again after a change to a build context (the tags change).',
    `# Submit it with: ${submitCommand}`,
    '',
  ].join('\n');
  // Cloud Build substitutes `$NAME` in every string; registry paths and tags have no `$`, but a
  // folder name might, so each is written `$$` (a literal dollar).
  const escaped = JSON.parse(JSON.stringify({ steps, images: images.map((image) => image.image) }).replace(/\$/g, '$$$$')) as object;
  return header + yaml.dump(escaped, { lineWidth: -1, noRefs: true });
}

function commonFolder(paths: readonly string[]): string {
  let common = path.resolve(paths[0]!);
  for (const candidate of paths.slice(1)) {
    while (common !== path.dirname(common) && path.relative(common, path.resolve(candidate)).startsWith('..'))
      common = path.dirname(common);
  }
  return common;
}
