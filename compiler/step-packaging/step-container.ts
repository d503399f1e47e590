import type { FunctionImplementation } from '../dsl/component-definition';
import { isProjectImage } from '../dsl/project-image';
import { projectRootOf, relativeInside } from './project-root';
import { StepBundleError, bundleStep } from './step-bundle';

/** How function components are packaged; part of the compile options. */
export interface StepPackagingOptions {
  /** The image of lightweight steps that set no `baseImage`. @default `node:20-slim` */
  readonly nodeImage?: string;
  /**
   * The project's images by the names `projectImage()` uses: the full reference (registry path and
   * content-hash tag, as `kfp-ts build` tags it) and the build context, the folder that is the
   * image's working directory. The CLI fills this in from kfp-ts.config.ts.
   */
  readonly projectImages?: Readonly<Record<string, ProjectImageBuild>>;
  /** A lightweight step's bundle may not be larger. @default 1 MiB */
  readonly maxBundleBytes?: number;
}

export interface ProjectImageBuild {
  /** e.g. `us-central1-docker.pkg.dev/my-project/ml/steps:c0ffee…` */
  readonly image: string;
  /** Absolute path of the build context, which the image holds as its working directory. */
  readonly context: string;
}

/** The container of a packaged step, before task settings (env, resources) are applied. */
export interface PackagedStep {
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly packaging: 'lightweight' | 'containerized';
  /** Lightweight steps: the size of the bundle carried in the command. */
  readonly bundleBytes?: number;
}

export const DEFAULT_NODE_IMAGE = 'node:20-slim';

/**
 * Vertex AI refuses a pipeline job request over 10 MiB, and Linux refuses a process whose
 * arguments and environment together exceed ARG_MAX (2 MiB with the default 8 MiB stack): one
 * mebibyte per step leaves room for the rest of the request and of the command line.
 */
export const DEFAULT_MAX_BUNDLE_BYTES = 1024 * 1024;

/** Linux caps each single argument at MAX_ARG_STRLEN (32 pages, 128 KiB): bundles travel in pieces below it. */
const ARGUMENT_PIECE_CHARS = 100_000;

const EXECUTOR_ARGS = ['--executor-input', '{{$}}'] as const;

/**
 * The command of a lightweight step: `sh` writes the bundle (the arguments after `$0`, in pieces)
 * to a fresh temporary folder and runs it there with `node`, passing on the executor input. The
 * step runs in that empty folder on this machine too, as it does in a stock image, so code that
 * reads the project's files fails here first rather than on Vertex. What it needs of the image is
 * `sh`, `mktemp` and `node`.
 */
export function lightweightCommand(bundle: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < bundle.length; start += ARGUMENT_PIECE_CHARS) pieces.push(bundle.slice(start, start + ARGUMENT_PIECE_CHARS));
  const script = [
    'folder="$(mktemp -d)"',
    `pieces=${pieces.length}`,
    'while [ "$pieces" -gt 0 ]; do printf "%s" "$1" >> "$folder/step.cjs"; shift; pieces=$((pieces - 1)); done',
    'cd "$folder"',
    'exec node step.cjs "$@"',
    '',
  ].join('\n');
  return ['sh', '-ec', script, 'kfp-ts-step', ...pieces];
}

/**
 * KFP backends (and the local runner) replace `{{$}}` and `{{$.…}}` anywhere in a command, and a
 * bundle is code, which may hold such text (in strings, or as a `$` identifier after two braces).
 * `\u0024` is `$` both in string literals and in identifiers, so the code means the same and no
 * placeholder is left in it. `{{${` (a template literal's substitution) is no placeholder and stays.
 */
export function hidePlaceholders(code: string): string {
  return code.replace(/\{\{\$(?=[}.])/g, '{{\\u0024');
}

/** Packages one function component for its container; throws StepBundleError with a fix. */
export function packageStep(name: string, implementation: FunctionImplementation, options: StepPackagingOptions): PackagedStep {
  const { packaging, moduleFile } = implementation;
  if (moduleFile === undefined) {
    throw new StepBundleError('could not tell which file defines it', 'define function components at the top level of a module file');
  }
  if (packaging.kind === 'lightweight') {
    const bundle = bundleStep(moduleFile, name, projectRootOf(moduleFile));
    const limit = options.maxBundleBytes ?? DEFAULT_MAX_BUNDLE_BYTES;
    if (bundle.bytes > limit) {
      throw new StepBundleError(
        `the step's bundle is ${formatBytes(bundle.bytes)}, over the limit of ${formatBytes(limit)} (it travels in the pipeline job request, which Vertex AI caps at 10 MiB)`,
        "move large dependencies out of the step's module, or make the step containerized with targetImage: projectImage('…')",
      );
    }
    return {
      image: packaging.baseImage ?? options.nodeImage ?? DEFAULT_NODE_IMAGE,
      command: lightweightCommand(hidePlaceholders(bundle.code)),
      args: [...EXECUTOR_ARGS],
      packaging: 'lightweight',
      bundleBytes: bundle.bytes,
    };
  }
  let image: string;
  let context: string;
  if (isProjectImage(packaging.image)) {
    const images = options.projectImages ?? {};
    const build = Object.hasOwn(images, packaging.image.name) ? images[packaging.image.name] : undefined;
    if (!build) {
      const known = Object.keys(images);
      throw new StepBundleError(
        `projectImage('${packaging.image.name}') is not one of the project's images${known.length ? ` (${known.join(', ')})` : ' (none are configured)'}`,
        `add it under images in kfp-ts.config.ts (or pass projectImages in the compile options), or name an image that is configured`,
      );
    }
    ({ image, context } = build);
  } else {
    image = packaging.image;
    context = projectRootOf(moduleFile);
  }
  const modulePath = relativeInside(context, moduleFile);
  if (modulePath === undefined) {
    throw new StepBundleError(
      `the step's module ${moduleFile} lies outside the image's build context ${context}`,
      "move the module into the project, or set the image's context in kfp-ts.config.ts to a folder that holds it",
    );
  }
  return {
    image,
    command: ['kfp-ts', 'exec-component', modulePath, name],
    args: [...EXECUTOR_ARGS],
    packaging: 'containerized',
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
