/**
 * A team's kfp-ts configuration (`kfp-ts.config.ts` beside its package.json, or `--config FILE`):
 * everything compilation takes from outside the pipeline code, written down once, read by the CLI
 * and passed to the compiler as explicit options.
 */
export interface KfpTsConfig {
  /** `defaultPipelineRoot` of compiled pipelines, e.g. `gs://my-bucket/pipelines`; a pipeline's own `pipelineRoot` wins. */
  readonly pipelineRoot?: string;
  /**
   * Where the project's images are pushed, e.g. `us-central1-docker.pkg.dev/my-project/ml` (Artifact
   * Registry). Without one, images keep local names (fine for local runs, not for Vertex).
   */
  readonly registry?: string;
  /** The image of lightweight steps. @default `node:20-slim` */
  readonly nodeImage?: string;
  /** The project's own images, by the name `projectImage('name')` uses. */
  readonly images?: Readonly<Record<string, ProjectImageConfig>>;
  /** A lightweight step's bundle may not be larger (bytes). @default 1 MiB */
  readonly maxStepBundleBytes?: number;
  /** Defaults for `kfp-ts submit`; its flags win. */
  readonly vertex?: VertexDefaults;
}

export interface ProjectImageConfig {
  /** The Dockerfile, relative to the configuration file. @default `Dockerfile` */
  readonly dockerfile?: string;
  /** The build context, relative to the configuration file; it becomes the image's working directory. @default `.` */
  readonly context?: string;
  /** The repository name under the registry. @default the image's name */
  readonly repository?: string;
}

export interface VertexDefaults {
  readonly project?: string;
  readonly region?: string;
  readonly serviceAccount?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Types a configuration object (a `kfp-ts.config.ts` does `export default defineConfig({ … })`). */
export function defineConfig(config: KfpTsConfig): KfpTsConfig {
  return config;
}

export const CONFIG_FILE_NAMES = ['kfp-ts.config.ts', 'kfp-ts.config.js', 'kfp-ts.config.json'] as const;
