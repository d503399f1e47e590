import type { IrPipelineSpec } from './ir/pipeline-spec';
import { compilePipeline, type CompileOptions, type CompileTarget } from './synth/compile-pipeline';
import { sortKeys } from './util/sort-keys';
import { writePipelineYaml } from './yaml/write-pipeline-yaml';

/** Deterministic JSON: keys sorted at every level, two-space indent, trailing newline. */
export function toPipelineJson(spec: IrPipelineSpec): string {
  return `${JSON.stringify(sortKeys(spec), null, 2)}\n`;
}

/**
 * YAML as the reference compiler writes it, `# PIPELINE DEFINITION` header included. The header's
 * description defaults to `pipelineInfo.description`; a component compiled as a pipeline has none
 * there but its description still heads the file, so pass it.
 */
export function toPipelineYaml(spec: IrPipelineSpec, headerDescription?: string): string {
  return writePipelineYaml(spec, undefined, headerDescription !== undefined ? { description: headerDescription } : {});
}

/** Compiles a pipeline or component and writes it as YAML (header description included). */
export function compileToYaml(target: CompileTarget, options: CompileOptions = {}): string {
  return toPipelineYaml(compilePipeline(target, options), target.definition.description);
}
