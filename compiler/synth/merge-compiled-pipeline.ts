import type { ComponentDefinition } from '../dsl/component-definition';
import type { IrComponentSpec, IrPipelineSpec } from '../ir/pipeline-spec';
import type { DocumentBuilder } from './compile-pipeline';

/**
 * Copies a pipeline compiled elsewhere into the document as a DAG component: its root becomes
 * `comp-<name>`, and each of its components gets a document-unique name (references rewritten).
 */
export function mergeCompiledPipeline(document: DocumentBuilder, definition: ComponentDefinition, spec: IrPipelineSpec): string {
  const rootName = document.allocateComponentName(definition.name);
  document.components[rootName] = {};
  const renamed = new Map<string, string>();
  for (const oldName of Object.keys(spec.components ?? {})) {
    renamed.set(oldName, document.allocateComponentName(oldName.replace(/^comp-/, '')));
  }
  const rewrite = (component: IrComponentSpec): IrComponentSpec => {
    const copy = structuredClone(component);
    for (const task of Object.values(copy.dag?.tasks ?? {})) {
      task.componentRef.name = renamed.get(task.componentRef.name) ?? task.componentRef.name;
    }
    return copy;
  };
  for (const [oldName, component] of Object.entries(spec.components ?? {})) {
    const newName = renamed.get(oldName)!;
    const copy = rewrite(component);
    if (component.executorLabel !== undefined) {
      const executor = spec.deploymentSpec?.executors[component.executorLabel];
      copy.executorLabel = `exec-${newName.slice('comp-'.length)}`;
      if (executor) document.executors[copy.executorLabel] = structuredClone(executor);
    }
    document.components[newName] = copy;
  }
  document.components[rootName] = rewrite(spec.root);
  return rootName;
}
