/**
 * The typed fixture pipeline compiled, apart from support.ts so that a test that needs only the IR does
 * not load the CLI, the emulator and gRPC with it.
 */
import { compilePipeline } from '../../compiler';
import type { IrPipelineSpec } from '../../compiler/ir/pipeline-spec';
import typedPipeline from './fixtures/typed-pipeline';

export function typedSpec(): IrPipelineSpec {
  return compilePipeline(typedPipeline) as IrPipelineSpec;
}
