import type { IrComponentSpec, IrExecutorSpec } from '../ir/pipeline-spec';
import type { UniqueNames } from '../util/names';

/** A pipeline compiled on its own: its root DAG component and everything it refers to. */
export interface CompiledPipelineParts {
  readonly root: IrComponentSpec;
  readonly components: Readonly<Record<string, IrComponentSpec>>;
  readonly executors: Readonly<Record<string, IrExecutorSpec>>;
}

/**
 * Copies the components and executors of a pipeline compiled on its own (a nested pipeline, or one
 * loaded from IR) into a document, renaming each on a clash (`comp-x` → `comp-x-2`) and rewriting
 * references, as the reference merges sub-pipeline specs. Returns the rewritten root component; the
 * caller names it after the task, once the merged names are taken.
 */
export function mergeCompiledPipeline(
  target: { components: Record<string, IrComponentSpec>; executors: Record<string, IrExecutorSpec>; componentNames: UniqueNames },
  parts: CompiledPipelineParts,
): IrComponentSpec {
  const renamed = new Map<string, string>();
  for (const oldName of Object.keys(parts.components)) renamed.set(oldName, target.componentNames.allocate(oldName));
  const rewrite = (component: IrComponentSpec): IrComponentSpec => {
    const copy = structuredClone(component);
    for (const task of Object.values(copy.dag?.tasks ?? {})) {
      task.componentRef.name = renamed.get(task.componentRef.name) ?? task.componentRef.name;
    }
    return copy;
  };
  for (const [oldName, component] of Object.entries(parts.components)) {
    const newName = renamed.get(oldName)!;
    const copy = rewrite(component);
    if (component.executorLabel !== undefined) {
      const executor = parts.executors[component.executorLabel];
      copy.executorLabel = `exec-${newName.slice('comp-'.length)}`;
      if (executor) target.executors[copy.executorLabel] = structuredClone(executor);
    }
    target.components[newName] = copy;
  }
  return rewrite(parts.root);
}
