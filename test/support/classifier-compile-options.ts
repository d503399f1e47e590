/**
 * Compile options for pipelines/image-classifier.ts (and its steps) in tests. Its steps are
 * containerized (`targetImage: projectImage('components' | 'train-gpu')`), so compiling needs the
 * project's images; the CLI reads them from kfp-ts.config.ts, and compilation itself reads no
 * configuration or environment, so tests pass them explicitly:
 *
 * - classifierCompileOptions(): what `kfp-ts compile pipelines/image-classifier.ts` uses, built the
 *   CLI's way from the repository's kfp-ts.config.ts (images tagged `src-<content hash>`); for
 *   tests that run the steps or check the image references the CLI gives them.
 * - goldenCompileOptions(): the same images under FIXED references (`kfp-ts-components:golden`, …),
 *   for goldens, which must not change whenever any file of the images' build context does.
 *
 * Both use the repository root as the images' build context, as kfp-ts.config.ts does, so the
 * compiled commands are `kfp-ts exec-component components/image-classifier/<step>/component.ts
 * <name>`; tests that run those commands put `kfp-ts` on PATH (putClassifierCommandsOnPath) and
 * run them from the repository root, as the images' WORKDIR /app holds the context.
 */
import * as path from 'node:path';
import { putKfpTsOnPath } from '../../cli/kfp-ts-on-path';
import type { CompileOptions } from '../../compiler/synth/compile-pipeline';
import { compileOptionsFromConfig } from '../../project/compile-options';
import { loadConfigFor } from '../../project/load-config';

export const repoRoot = path.resolve(__dirname, '../..');

/** The project images kfp-ts.config.ts defines, by name, with their repositories. */
export const CLASSIFIER_IMAGE_REPOSITORIES = {
  components: 'kfp-ts-components',
  'train-gpu': 'kfp-ts-train-gpu',
  serving: 'kfp-ts-serving',
} as const;

export type ClassifierImageName = keyof typeof CLASSIFIER_IMAGE_REPOSITORIES;

/** The fixed references golden files carry: `<repository>:golden`. */
export const GOLDEN_IMAGES: Readonly<Record<ClassifierImageName, string>> = Object.fromEntries(
  Object.entries(CLASSIFIER_IMAGE_REPOSITORIES).map(([name, repository]) => [name, `${repository}:golden`]),
) as Record<ClassifierImageName, string>;

let fromConfig: CompileOptions | undefined;

/** The options the CLI compiles pipelines/image-classifier.ts with (no --registry), computed once per test file. */
export function classifierCompileOptions(): CompileOptions {
  return (fromConfig ??= compileOptionsFromConfig(loadConfigFor(path.join(repoRoot, 'pipelines/image-classifier.ts'))));
}

/** The image reference classifierCompileOptions() gives a project image. */
export function classifierImage(name: ClassifierImageName): string {
  const image = classifierCompileOptions().steps?.projectImages?.[name]?.image;
  if (image === undefined) throw new Error(`kfp-ts.config.ts defines no image '${name}'`);
  return image;
}

/** Options with fixed image references, for goldens: nothing in them depends on the files of the repository. */
export function goldenCompileOptions(): CompileOptions {
  return {
    steps: {
      projectImages: Object.fromEntries(Object.entries(GOLDEN_IMAGES).map(([name, image]) => [name, { image, context: repoRoot }])),
    },
  };
}

/**
 * What `kfp-ts run` does before it runs containerized steps on this machine: `kfp-ts` on PATH
 * (this checkout's CLI). Run the pipeline with `workingDirectory: repoRoot`. It changes PATH in
 * `process.env`, which under jest is the test file's own copy: pass `env: process.env` to
 * child_process calls (the runner, loaded in the test file, reads that copy itself).
 */
export function putClassifierCommandsOnPath(): void {
  putKfpTsOnPath(path.join(repoRoot, 'cli/bin/kfp-ts.js'));
}
