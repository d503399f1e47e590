// Experiments in the local store, modelled as Vertex AI models them: an experiment is a context of
// type `system.Experiment` (google-cloud-aiplatform metadata/constants.py SYSTEM_EXPERIMENT), and a
// pipeline run belongs to it by being a child context of it (Vertex's AddContextChildren, which
// PipelineJob.submit(experiment=…) calls with the job's `system.PipelineRun` context). Here the
// child link is MLMD's ParentContext row, the table AddContextChildren fills.
import { assertValidExperimentName } from '../experiment-name';
import type { ContextRecord, MetadataStore } from './metadata-store';

export const EXPERIMENT_CONTEXT_TYPE = 'system.Experiment';
export const PIPELINE_RUN_CONTEXT_TYPE = 'system.PipelineRun';

/**
 * Gets or creates the experiment and makes the run's context its child (idempotent). A new
 * experiment gets the metadata the Vertex SDK gives one (constants.EXPERIMENT_METADATA), with the
 * bool as KFP stores bools in MLMD (int 0/1).
 */
export function addRunToExperiment(store: MetadataStore, runContextId: number, experiment: string): number {
  assertValidExperimentName(experiment);
  return store.transaction(() => {
    const experimentId = store.getOrCreateContext(EXPERIMENT_CONTEXT_TYPE, experiment, { experiment_deleted: { int: 0 } });
    store.linkParentContext(runContextId, experimentId);
    return experimentId;
  });
}

/** The experiments a run context belongs to (normally one), by name. */
export function experimentsOfRun(store: MetadataStore, runContextId: number): string[] {
  return store.linkedContexts(runContextId, 'parents', EXPERIMENT_CONTEXT_TYPE).map((context) => context.name);
}

/** The run contexts of an experiment, oldest first; undefined when there is no such experiment. */
export function runContextsOfExperiment(store: MetadataStore, experiment: string): ContextRecord[] | undefined {
  const context = store.findContext(EXPERIMENT_CONTEXT_TYPE, experiment);
  return context ? store.linkedContexts(context.id, 'children', PIPELINE_RUN_CONTEXT_TYPE) : undefined;
}

/** Every experiment in the store, by name (to suggest one when a name is not found). */
export function experimentNames(store: MetadataStore): string[] {
  return store.listContexts(EXPERIMENT_CONTEXT_TYPE).map((context) => context.name);
}
