import type { IrPipelineSpec } from './ir/pipeline-spec';
import { writePipelineYaml } from './yaml/write-pipeline-yaml';

/** Deterministic JSON: keys sorted at every level, two-space indent, trailing newline. */
export function toPipelineJson(spec: IrPipelineSpec): string {
  return `${JSON.stringify(sortKeys(spec), null, 2)}\n`;
}

/** YAML as the reference compiler writes it, `# PIPELINE DEFINITION` header included. */
export function toPipelineYaml(spec: IrPipelineSpec): string {
  return writePipelineYaml(spec);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
