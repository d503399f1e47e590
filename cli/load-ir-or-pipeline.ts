import * as path from 'node:path';
import { compilePipeline } from '../compiler/synth/compile-pipeline';
import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { loadIrFile } from '../compiler/ir/load-ir-file';
import { loadPipelineModule } from './load-pipeline-module';
import { projectOptionsFor } from './project-options';
import type { VertexDefaults } from '../project/config';

export interface LoadedPipeline {
  readonly spec: IrPipelineSpec;
  /** The project the pipeline belongs to: where its containerized steps run on this machine. */
  readonly projectFolder: string;
  /** The project's defaults for `kfp-ts submit`. */
  readonly vertexDefaults: VertexDefaults;
  /** Where the tasks of each project image run on this machine (see ProjectOptions). */
  readonly imageWorkingDirectories: Readonly<Record<string, string>>;
}

/** A pipeline to run or submit: compiled from a .ts/.js file, or read from compiled IR (.json/.yaml). */
export function loadIrOrPipeline(
  file: string,
  options: { readonly exportName?: string; readonly config?: string; readonly registry?: string; readonly cwd: string },
): LoadedPipeline {
  const project = projectOptionsFor(file, options, options.cwd);
  const context = {
    projectFolder: project.projectFolder,
    vertexDefaults: project.loaded.config.vertex ?? {},
    imageWorkingDirectories: project.imageWorkingDirectories,
  };
  if (/\.(json|ya?ml)$/i.test(file)) return { spec: loadIrFile(file).spec as IrPipelineSpec, ...context };
  const { target } = loadPipelineModule(path.resolve(file), options.exportName);
  return { spec: compilePipeline(target, project.compile), ...context };
}
