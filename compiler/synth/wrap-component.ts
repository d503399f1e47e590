import type { AnyComponent } from '../dsl/component';
import { pipeline, type Pipeline, type PipelineOutputChannels } from '../dsl/pipeline';

/**
 * A one-task pipeline around a component, named after it, whose inputs and outputs mirror the
 * component's: how the reference compiles a single component.
 */
export function wrapComponentAsPipeline(component: AnyComponent): Pipeline {
  const { definition } = component;
  const outputDescriptions: Record<string, string> = {};
  for (const [name, spec] of Object.entries(definition.outputs)) {
    if (spec.description !== undefined) outputDescriptions[name] = spec.description;
  }
  return pipeline({ name: definition.name, params: definition.inputs, outputDescriptions }, (params) => {
    const task = (component as unknown as (args: object) => { outputs: PipelineOutputChannels })(params);
    return task.outputs;
  });
}
