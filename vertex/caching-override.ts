import type { IrComponentSpec, IrPipelineSpec } from '../compiler/ir/pipeline-spec';

/**
 * The Vertex AI Python SDK's `enable_caching` override (`_set_enable_caching_value`): every task of
 * the root DAG and of every component that has a DAG (conditions, loops, nested pipelines) gets
 * `cachingOptions` replaced by `{enableCache}`. The whole object is replaced, so a custom
 * `cacheKey` is dropped, as in the SDK. Executor-only components have no tasks and are left alone.
 * Returns a rewritten copy; the given spec is not changed.
 */
export function withCachingOverride(spec: IrPipelineSpec, enableCache: boolean): IrPipelineSpec {
  const copy = structuredClone(spec);
  const rewrite = (component: IrComponentSpec | undefined) => {
    for (const task of Object.values(component?.dag?.tasks ?? {})) task.cachingOptions = { enableCache };
  };
  rewrite(copy.root);
  for (const component of Object.values(copy.components ?? {})) rewrite(component);
  return copy;
}
