import type { IrImporterSpec } from '../compiler/ir/pipeline-spec';
import { buildExecutorInput } from './executor/executor-input';
import { resolveParameterPlaceholders } from './executor/placeholders';
import { artifactRefFromRecord } from './artifact-records';
import { metadataToProperties } from './mlmd/metadata-store';
import type { TaskOutcome } from './run-context';
import { taskProperties, type TaskRunContext } from './task-run-context';

/**
 * An importer registers an existing URI as an artifact (KFP's dsl.importer). Nothing is copied. With
 * `reimport` off, an artifact already recorded with the same URI and type is reused, so its id (and
 * therefore downstream cache keys) stays the same across runs.
 */
export async function runImporterTask(t: TaskRunContext, importer: IrImporterSpec): Promise<TaskOutcome> {
  const { ctx } = t;
  const earlier = ctx.completed.get(t.path);
  if (earlier) {
    ctx.reporter.task({ kind: 'reused', path: t.path });
    return { state: earlier.state, parameters: earlier.parameters, artifacts: earlier.artifacts, executionId: earlier.executionId };
  }
  const uri =
    importer.artifactUri.constant !== undefined
      ? importer.artifactUri.constant
      : t.inputs.parameters[importer.artifactUri.runtimeParameter ?? 'uri'];
  if (typeof uri !== 'string' || uri === '') {
    throw new Error(`importer '${t.path}': the artifact URI is ${JSON.stringify(uri)}; pass a non-empty string URI`);
  }
  const runtime = { ...ctx.runtime, taskName: t.name, taskId: '' };
  const executorInput = buildExecutorInput({
    parameterValues: t.inputs.parameters,
    inputArtifacts: {},
    outputParameters: {},
    outputArtifacts: {},
    outputFile: '',
  });
  const metadata = (resolveParameterPlaceholders(importer.metadata ?? {}, executorInput, runtime) ?? {}) as Record<string, unknown>;
  const typeName = importer.typeSchema.schemaTitle;
  const contextIds = [ctx.pipelineContextId, ctx.runContextId];
  const recorded = ctx.store.transaction(() => {
    const existing = importer.reimport ? undefined : ctx.store.findArtifactsByUri(uri).find((a) => a.typeName === typeName);
    const id =
      existing?.id ??
      ctx.store.createArtifact({
        typeName,
        uri,
        state: 'LIVE',
        customProperties: { ...metadataToProperties(metadata), display_name: { string: 'artifact' } },
        contextIds,
      });
    const executionId = ctx.store.createExecution({
      typeName: 'system.ImporterExecution',
      state: 'COMPLETE',
      customProperties: taskProperties(t, t.inputs.parameters),
      contextIds,
    });
    ctx.store.updateExecution(executionId, { outputs: [{ key: 'artifact', artifactIds: [id] }], contextIds });
    // A reused artifact keeps the metadata it was recorded with, as its id says it is that artifact.
    return { ref: artifactRefFromRecord(ctx.store.getArtifact(id)!, 'artifact'), executionId };
  });
  ctx.reporter.task({ kind: 'succeeded', path: t.path, durationMs: 0 });
  const ref = {
    ...recorded.ref,
    artifact: { ...recorded.ref.artifact, type: { schemaTitle: typeName, schemaVersion: importer.typeSchema.schemaVersion ?? '0.0.1' } },
  };
  return { state: 'succeeded', parameters: {}, artifacts: { artifact: [ref] }, executionId: recorded.executionId };
}
