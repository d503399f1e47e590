import * as path from 'node:path';
import { compilePipeline } from '../compiler/synth/compile-pipeline';
import type { PackagedStepReport } from '../compiler/synth/package-steps';
import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { loadIrFile } from '../compiler/ir/load-ir-file';
import { loadPipelineModule } from './load-pipeline-module';
import { projectOptionsFor } from './project-options';
import type { VertexDefaults } from '../project/config';

export interface LoadedPipeline {
  readonly spec: IrPipelineSpec;
  /** The pipeline's description, for the header of YAML output (compiled from a .ts/.js file only). */
  readonly description?: string;
  /** The function components packaged while compiling, for the CLI to print their bundle sizes. */
  readonly steps: readonly PackagedStepReport[];
  /** The project the pipeline belongs to: where its containerized steps run on this machine. */
  readonly projectFolder: string;
  /** The project's defaults for `kfp-ts submit`. */
  readonly vertexDefaults: VertexDefaults;
  /** Where the tasks of each project image run on this machine (see ProjectOptions). */
  readonly imageWorkingDirectories: Readonly<Record<string, string>>;
}

export interface LoadOptions {
  readonly exportName?: string;
  readonly config?: string;
  readonly registry?: string;
  readonly cwd: string;
}

/**
 * A pipeline to compile, run or submit: compiled from a .ts/.js file, or read from compiled IR
 * (.json/.yaml). It runs the user's code (the pipeline file and kfp-ts.config.ts), so the CLI
 * calls it in a worker thread (load-pipeline-in-worker.ts), not directly.
 */
export function loadIrOrPipeline(file: string, options: LoadOptions): LoadedPipeline {
  const project = projectOptionsFor(file, options, options.cwd);
  const context = {
    projectFolder: project.projectFolder,
    vertexDefaults: project.loaded.config.vertex ?? {},
    imageWorkingDirectories: project.imageWorkingDirectories,
  };
  if (/\.(json|ya?ml)$/i.test(file)) return { spec: loadIrFile(file).spec as IrPipelineSpec, steps: [], ...context };
  const { target } = loadPipelineModule(path.resolve(options.cwd, file), options.exportName);
  const steps: PackagedStepReport[] = [];
  const spec = compilePipeline(target, { ...project.compile, onStepsPackaged: (packaged) => steps.push(...packaged) });
  const description = target.definition.description;
  return { spec, steps, ...context, ...(description !== undefined ? { description } : {}) };
}
