import type { ComponentDefinition } from '../dsl/component-definition';
import type { PipelineProblem } from '../dsl/errors';
import type { PipelineBody } from '../dsl/pipeline-body';
import { isFunctionComponent } from '../dsl/function-component';
import { StepBundleError } from '../step-packaging/step-bundle';
import { packageStep, type PackagedStep, type StepPackagingOptions } from '../step-packaging/step-container';

/** What the compiler tells its caller about each function component it packaged. */
export interface PackagedStepReport {
  readonly component: string;
  readonly packaging: PackagedStep['packaging'];
  readonly image: string;
  readonly bundleBytes?: number;
}

/**
 * Packages every function component used in the pipeline (and in pipelines used inside it) once,
 * before synthesis, so that a step that cannot be packaged is reported with the other problems:
 * at the task that uses it, with the line that defines the component.
 */
export function packageFunctionSteps(
  body: PipelineBody,
  options: StepPackagingOptions,
): { steps: Map<ComponentDefinition, PackagedStep>; problems: PipelineProblem[] } {
  const steps = new Map<ComponentDefinition, PackagedStep>();
  const failed = new Set<ComponentDefinition>();
  const problems: PipelineProblem[] = [];
  const visited = new Set<PipelineBody>();
  const visit = (current: PipelineBody) => {
    if (visited.has(current)) return;
    visited.add(current);
    for (const task of current.tasks) {
      const definition = task.component;
      const implementation = definition.implementation;
      if (implementation.kind === 'pipeline') visit(implementation.body);
      if (implementation.kind !== 'function' || steps.has(definition) || failed.has(definition)) continue;
      try {
        checkExported(definition, implementation.moduleFile);
        steps.set(definition, packageStep(definition.name, implementation, options));
      } catch (error) {
        if (!(error instanceof StepBundleError)) throw error;
        failed.add(definition);
        problems.push({
          path: task.path,
          location: definition.callSite.location,
          message: `function component '${definition.name}': ${error.message}`,
          fix: error.fix,
        });
      }
    }
  };
  visit(body);
  return { steps, problems };
}

export function stepReports(steps: ReadonlyMap<ComponentDefinition, PackagedStep>): PackagedStepReport[] {
  return [...steps].map(([definition, step]) => ({
    component: definition.name,
    packaging: step.packaging,
    image: step.image,
    ...(step.bundleBytes !== undefined ? { bundleBytes: step.bundleBytes } : {}),
  }));
}

/**
 * In its container a step is found among its module's exports by name, so a component that is not
 * exported, or two exported under one name, would fail only when the step runs (on Vertex, after
 * scheduling). Checked here where the module was loaded through require (the CLI, jest); a module
 * loaded as an ES module is not in require's cache, and the step's own start reports it.
 */
function checkExported(definition: ComponentDefinition, moduleFile: string | undefined): void {
  const loaded = moduleFile === undefined ? undefined : require.cache[moduleFile];
  if (!loaded) return;
  const named = Object.values((loaded.exports ?? {}) as Record<string, unknown>).filter(
    (value) => isFunctionComponent(value) && value.definition.name === definition.name,
  );
  if (named.length > 1) {
    throw new StepBundleError(
      `its module exports ${named.length} function components named '${definition.name}'`,
      'give each a distinct name',
    );
  }
  if (named.length === 0 || (named[0] as { definition: ComponentDefinition }).definition !== definition) {
    throw new StepBundleError(
      "its module does not export it, and a step's container finds its component among the module's exports",
      `export it: export const step = functionComponent({ name: '${definition.name}', … })`,
    );
  }
}
