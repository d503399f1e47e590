import * as path from 'node:path';
import { compilePipeline } from '../compiler/synth/compile-pipeline';
import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { loadIrFile } from '../compiler/ir/load-ir-file';
import { loadPipelineModule } from './load-pipeline-module';

/** A pipeline to run or submit: compiled from a .ts/.js file, or read from compiled IR (.json/.yaml). */
export function loadIrOrPipeline(file: string, exportName?: string): IrPipelineSpec {
  if (/\.(json|ya?ml)$/i.test(file)) return loadIrFile(file).spec as IrPipelineSpec;
  const { target } = loadPipelineModule(path.resolve(file), exportName);
  return compilePipeline(target);
}
