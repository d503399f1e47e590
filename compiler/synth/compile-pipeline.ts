import type { AnyComponent } from '../dsl/component';
import type { ComponentDefinition } from '../dsl/component-definition';
import { PipelineValidationError } from '../dsl/errors';
import { isPipeline } from '../dsl/pipeline';
import type { PipelineBody } from '../dsl/pipeline-body';
import type { IrPipelineSpec } from '../ir/pipeline-spec';
import { SUPPORTED_SCHEMA_VERSION, assertValidPipelineSpec } from '../ir/validate-pipeline-spec';
import { DagBuilder } from './dag-builder';
import type { FlowModel } from './flow-analysis';
import type { CompiledPipelineParts } from './merge-compiled-pipeline';
import { sanitizeName } from '../util/names';
import { kfpTsVersion } from '../util/package-paths';
import { validatePipelineBody } from './validate';
import { packageFunctionSteps, stepReports, type PackagedStepReport } from './package-steps';
import type { PackagedStep, StepPackagingOptions } from '../step-packaging/step-container';
import { wrapComponentAsPipeline } from './wrap-component';

export interface CompileOptions {
  /**
   * `sdkVersion` written into the IR. Tests comparing with the reference compiler's goldens set
   * `kfp-2.15.2`. @default `kfp-ts-<package version>`
   */
  readonly sdkVersion?: string;
  /** Replaces the pipeline name (`pipelineInfo.name`). */
  readonly pipelineName?: string;
  /**
   * Check the emitted document against the PipelineSpec JSON Schema (a backstop: a failure is a
   * kfp-ts bug, reported as such). @default true
   */
  readonly checkSchema?: boolean;
  /**
   * `defaultPipelineRoot` of the IR for a pipeline that sets no `pipelineRoot` of its own: where runs
   * write their artifacts unless the job names another root (the project's default, from its config).
   */
  readonly pipelineRoot?: string;
  /** How function components reach their containers: images, the bundle limit. */
  readonly steps?: StepPackagingOptions;
  /** Called once with each function component's packaging (the CLI prints bundle sizes). */
  readonly onStepsPackaged?: (steps: readonly PackagedStepReport[]) => void;
}

/** Anything made by `pipeline()`, `containerComponent()` or a component loader. */
export interface CompileTarget {
  readonly definition: ComponentDefinition;
}

export const defaultSdkVersion = `kfp-ts-${kfpTsVersion()}`;

/**
 * Compiles a pipeline (or a single component, wrapped as a one-task pipeline) to KFP IR: validates
 * the whole tree first and throws one PipelineValidationError with every problem, then emits.
 */
export function compilePipeline(target: CompileTarget, options: CompileOptions = {}): IrPipelineSpec {
  const pipeline = isPipeline(target) ? target : wrapComponentAsPipeline(target as AnyComponent);
  const models = new Map<PipelineBody, FlowModel>();
  const problems = validatePipelineBody(pipeline.body, models);
  const packaged = packageFunctionSteps(pipeline.body, options.steps ?? {});
  problems.push(...packaged.problems);
  if (problems.length) throw new PipelineValidationError(problems);
  options.onStepsPackaged?.(stepReports(packaged.steps));

  const parts = compileBody(pipeline.body, models, packaged.steps);
  const pipelineRoot = pipeline.pipelineRoot ?? options.pipelineRoot;
  const definition = pipeline.definition;
  const spec: IrPipelineSpec = {
    components: { ...parts.components },
    ...(pipelineRoot !== undefined ? { defaultPipelineRoot: pipelineRoot } : {}),
    deploymentSpec: { executors: { ...parts.executors } },
    pipelineInfo: {
      ...(definition.description !== undefined && isPipeline(target) ? { description: definition.description } : {}),
      ...(pipeline.displayName !== undefined ? { displayName: pipeline.displayName } : {}),
      name: options.pipelineName ?? sanitizeName(definition.name),
    },
    root: parts.root,
    schemaVersion: SUPPORTED_SCHEMA_VERSION,
    sdkVersion: options.sdkVersion ?? defaultSdkVersion,
  };
  if (options.checkSchema ?? true) {
    assertValidPipelineSpec(spec, `kfp-ts internal error: the IR compiled for pipeline '${definition.name}'`);
  }
  return spec;
}

/** One pipeline body on its own, with its own component namespace, as the reference compiles it. */
export function compileBody(
  body: PipelineBody,
  models: ReadonlyMap<PipelineBody, FlowModel>,
  steps: ReadonlyMap<ComponentDefinition, PackagedStep>,
): CompiledPipelineParts {
  const model = models.get(body);
  if (!model) throw new Error(`kfp-ts internal error: pipeline '${body.name}' was not validated`);
  return new DagBuilder(model, (nested) => compileBody(nested, models, steps), steps).build();
}
