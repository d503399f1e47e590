/**
 * The bytes of a compiled pipeline file, as the KFP SDK's `write_pipeline_spec_to_file` writes them: the header
 * comment, then `yaml.dump_all([pipeline_spec, platform_spec?], sort_keys=True)`. The platform document is written
 * only when it configures at least one platform, as the SDK does.
 */

import { isIrFloat } from './ir-number-fields';
import { pipelineHeaderComment, type PipelineHeaderOptions, type PipelineHeaderSpec } from './pipeline-header';
import { emitPyYamlDocuments } from './pyyaml-emitter';

export function writePipelineYaml(spec: object, platformSpec?: object, options: PipelineHeaderOptions = {}): string {
  const documents: object[] = [spec];
  if (platformSpec !== undefined && hasPlatforms(platformSpec)) documents.push(platformSpec);
  const header = pipelineHeaderComment(spec as PipelineHeaderSpec, options);
  return header + emitPyYamlDocuments(documents, { isFloat: isIrFloat });
}

function hasPlatforms(platformSpec: object): boolean {
  const platforms = (platformSpec as { platforms?: unknown }).platforms;
  return typeof platforms === 'object' && platforms !== null && Object.keys(platforms).length > 0;
}
