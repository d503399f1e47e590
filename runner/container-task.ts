import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IrContainerSpec } from '../compiler/ir/pipeline-spec';
import { collectOutputs } from './executor/collect-outputs';
import type { RuntimeArtifact } from '../compiler/ir/executor-protocol';
import { buildExecutorInput } from './executor/executor-input';
import { cacheFingerprint, customCacheFingerprint } from './executor/fingerprint';
import { resolveCommandLine, resolveParameterPlaceholders } from './executor/placeholders';
import { runContainerCommand, tailOfLog } from './executor/run-container';
import { metadataToProperties, type PropertyValue } from './mlmd/metadata-store';
import { cancelledReason, type ArtifactRef, type TaskOutcome } from './run-context';
import { artifactRefFromRecord } from './artifact-records';
import { cloudLauncherRefusal, findLocalLauncher, runLocalLauncher } from './local-launchers';
import { interruptedMarker } from './resume';
import { inputEvents, taskFolder, taskOutputPath, taskProperties, type TaskRunContext } from './task-run-context';
import { writeTaskCommand } from './run-records';
import { recordTaskProcess } from './task-process';
import { ownValue, setOwnValue } from './own-properties';

/**
 * Runs a container task on the host: resumes it from an earlier attempt, or reuses a cached
 * execution with the same KFP fingerprint, or runs its resolved command (with retries and backoff)
 * and records its outputs. Every state change is one MLMD transaction.
 */
export async function runContainerTask(t: TaskRunContext, container: IrContainerSpec): Promise<TaskOutcome> {
  const { ctx, path: taskPath } = t;
  const earlier = ctx.completed.get(taskPath);
  if (earlier) {
    ctx.reporter.task({ kind: 'reused', path: taskPath });
    return { state: earlier.state, parameters: earlier.parameters, artifacts: earlier.artifacts, executionId: earlier.executionId };
  }
  const contextIds = [ctx.pipelineContextId, ctx.runContextId];
  const executionId = ctx.store.createExecution({
    typeName: 'system.ContainerExecution',
    state: 'RUNNING',
    customProperties: { ...taskProperties(t, t.inputs.parameters), image: { string: container.image } },
    contextIds,
    inputs: inputEvents(t.inputs.artifacts),
  });
  try {
    return await runRecordedTask(t, container, executionId);
  } catch (error) {
    // A placeholder that cannot be resolved or an unwritable output folder throws; without this the
    // execution would stay RUNNING and a later --resume would report it as interrupted.
    ctx.store.updateExecution(executionId, { state: 'FAILED', contextIds });
    throw error;
  }
}

async function runRecordedTask(t: TaskRunContext, container: IrContainerSpec, executionId: number): Promise<TaskOutcome> {
  const { ctx, path: taskPath, task, component } = t;
  const taskDir = taskFolder(ctx.runRoot, taskPath);
  const outputParameterTypes = Object.fromEntries(
    Object.entries(component.outputDefinitions?.parameters ?? {}).map(([k, v]) => [k, v.parameterType]),
  );
  const outputArtifactSpecs = component.outputDefinitions?.artifacts ?? {};
  const inputArtifacts: Record<string, RuntimeArtifact[]> = Object.fromEntries(
    Object.entries(t.inputs.artifacts).map(([key, refs]) => [key, refs.map((r) => ({ ...r.artifact, name: String(r.id) }))]),
  );
  const contextIds = [ctx.pipelineContextId, ctx.runContextId];
  const runtime = { ...ctx.runtime, taskName: t.name, taskId: String(executionId) };
  const outputParameterFiles = Object.fromEntries(
    Object.keys(outputParameterTypes).map((key) => [key, taskOutputPath(taskDir, key, taskPath)]),
  );
  const outputArtifacts: Record<string, RuntimeArtifact> = Object.fromEntries(
    Object.entries(outputArtifactSpecs).map(([key, spec]) => [
      key,
      {
        name: key,
        type: { schemaTitle: spec.artifactType.schemaTitle, schemaVersion: spec.artifactType.schemaVersion ?? '0.0.1' },
        uri: taskOutputPath(taskDir, key, taskPath),
        metadata: {},
      },
    ]),
  );
  const executorInputWith = (parameterValues: Record<string, unknown>) =>
    buildExecutorInput({
      parameterValues,
      inputArtifacts,
      outputParameters: outputParameterFiles,
      outputArtifacts,
      outputFile: path.join(taskDir, 'executor_output.json'),
    });
  // Parameter values may themselves hold placeholders (e.g. {{$.pipeline_job_name}}); resolve them
  // against a first executor input, then build the one the command sees from the resolved values.
  const parameterValues = resolveParameterPlaceholders(t.inputs.parameters, executorInputWith(t.inputs.parameters), runtime) as Record<
    string,
    unknown
  >;
  const executorInput = executorInputWith(parameterValues);

  const cachingEnabled = ctx.cachingOverride ?? task.cachingOptions?.enableCache === true;
  // Vertex's run-level override rewrites caching and drops custom keys; without it the IR decides.
  const cacheKey = ctx.cachingOverride === undefined ? task.cachingOptions?.cacheKey : undefined;
  const fingerprint = !cachingEnabled
    ? undefined
    : cacheKey
      ? customCacheFingerprint(task.componentRef.name, cacheKey)
      : cacheFingerprint({
          inputArtifactIds: Object.fromEntries(Object.entries(t.inputs.artifacts).map(([k, refs]) => [k, refs.map((r) => r.id)])),
          inputParameterValues: parameterValues,
          outputArtifacts: Object.fromEntries(
            Object.entries(outputArtifacts).map(([k, a]) => [k, a.type as { schemaTitle: string; schemaVersion: string }]),
          ),
          outputParameterTypes,
          image: container.image,
          command: container.command ?? [],
          args: container.args ?? [],
        });

  if (fingerprint) {
    const cached = reuseCached(t, executionId, fingerprint);
    if (cached) return cached;
    ctx.store.updateExecution(executionId, { customProperties: { cache_fingerprint: { string: fingerprint } }, contextIds });
  }

  fs.mkdirSync(taskDir, { recursive: true });
  const logFile = path.join(taskDir, 'executor.log');
  const argv = resolveCommandLine([...(container.command ?? []), ...(container.args ?? [])], executorInput, runtime, { taskPath });
  const env = { ...ctx.environment, ...Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value])) };
  // Containers that would call a cloud API (e.g. GCPC's Vertex launchers) run as the stand-ins the run was given.
  const localLauncher = findLocalLauncher(container, ctx.localLaunchers);
  // One no stand-in claimed fails without starting anything (no retries: nothing would change).
  const refused = localLauncher ? undefined : cloudLauncherRefusal(container, taskPath);
  const retry = task.retryPolicy;
  const attempts = 1 + (retry?.maxRetryCount ?? 0);
  let failure = refused;
  let cancelled = false;
  let durationMs = 0;
  for (let attempt = 1; refused === undefined && attempt <= attempts; attempt++) {
    writeTaskCommand(taskDir, { command: argv, attempt });
    // The RUNNING execution (and the previous task's end, sharing its transaction) is on disk before
    // the process exists: --resume after a kill -9 finds it and stops what the runner left running.
    ctx.store.commit();
    ctx.reporter.task({ kind: 'started', path: taskPath, attempt });
    try {
      const stopping = { ...(ctx.signal ? { signal: ctx.signal } : {}), ...(ctx.killSignal ? { killSignal: ctx.killSignal } : {}) };
      const timeout = ctx.taskTimeoutMs ? { timeoutMs: ctx.taskTimeoutMs } : {};
      // The task holds one of the run's container slots (dag-executor.ts took it for it).
      const result = await (localLauncher
        ? runLocalLauncher(
            localLauncher,
            {
              argv,
              env,
              logFile,
              taskPath,
              image: container.image,
              stateDir: path.dirname(ctx.store.file),
              workingDirectory: ctx.workingDirectory,
            },
            { ...stopping, ...timeout },
          )
        : runContainerCommand({
            argv,
            env,
            cwd: workingDirectoryFor(ctx, container.image),
            logFile,
            taskPath,
            image: container.image,
            onSpawn: (pid) => recordTaskProcess(taskDir, pid),
            ...stopping,
            ...timeout,
          }));
      durationMs += result.durationMs;
      if (result.aborted) {
        cancelled = true;
        break;
      }
      failure = result.timedOut
        ? `timed out after ${ctx.taskTimeoutMs} ms (the per-task timeout); raise it with --task-timeout or make the task faster`
        : result.exitCode === 0
          ? undefined
          : `exited with ${result.signal ? `signal ${result.signal}` : `code ${result.exitCode}`}`;
    } catch (error) {
      failure = (error as Error).message;
      break;
    }
    if (failure === undefined) break;
    if (attempt < attempts) {
      const delayMs = backoffMs(retry!, attempt);
      ctx.reporter.task({ kind: 'retrying', path: taskPath, attempt: attempt + 1, delayMs, error: failure });
      // The backoff gives the slot to a waiting task; the retry waits its turn for one again.
      ctx.containerSlots.release();
      const slept = await sleepUnlessAborted(delayMs, ctx.signal);
      await ctx.containerSlots.acquire();
      if (!slept) {
        cancelled = true;
        break;
      }
    }
  }

  if (cancelled) {
    // Not a failure: the run is stopping. CANCELED with the interrupted mark, as --resume writes for
    // a runner that died, so --resume runs the task again.
    ctx.store.updateExecution(executionId, { state: 'CANCELED', customProperties: { ...interruptedMarker }, contextIds });
    ctx.reporter.task({ kind: 'cancelled', path: taskPath, durationMs, reason: cancelledReason });
    return { state: 'cancelled', parameters: {}, artifacts: {}, executionId, error: cancelledReason };
  }

  let outputs: ReturnType<typeof collectOutputs> | undefined;
  if (failure === undefined) {
    try {
      outputs = collectOutputs({ executorInput, outputParameterTypes, taskPath });
    } catch (error) {
      failure = (error as Error).message;
    }
  }
  if (failure !== undefined || !outputs) {
    ctx.failing = true;
    ctx.store.updateExecution(executionId, { state: 'FAILED', contextIds });
    const logTail = fs.existsSync(logFile) ? tailOfLog(logFile) : undefined;
    ctx.reporter.task({ kind: 'failed', path: taskPath, durationMs, error: failure ?? 'no outputs', ...(logTail ? { logTail } : {}) });
    return { state: 'failed', parameters: {}, artifacts: {}, executionId, error: failure ?? 'no outputs' };
  }

  const artifacts: Record<string, ArtifactRef[]> = {};
  ctx.store.transaction(() => {
    for (const [key, list] of Object.entries(outputs!.artifacts)) {
      setOwnValue(
        artifacts,
        key,
        list.map((artifact) => {
          const id = ctx.store.createArtifact({
            typeName: artifact.type?.schemaTitle ?? ownValue(outputArtifacts, key)?.type?.schemaTitle ?? 'system.Artifact',
            uri: artifact.uri ?? '',
            state: 'LIVE',
            customProperties: { ...metadataToProperties(artifact.metadata ?? {}), display_name: { string: key } },
            contextIds,
          });
          return { id, artifact };
        }),
      );
    }
    ctx.store.updateExecution(executionId, {
      state: 'COMPLETE',
      customProperties: { outputs: { struct: outputs!.parameters } },
      outputs: Object.entries(artifacts).map(([key, refs]) => ({ key, artifactIds: refs.map((r) => r.id) })),
      contextIds,
    });
  });
  ctx.reporter.task({ kind: 'succeeded', path: taskPath, durationMs });
  return { state: 'succeeded', parameters: outputs.parameters, artifacts, executionId };
}

/** Waits `ms`; false if `signal` aborted first. */
function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function backoffMs(retry: NonNullable<TaskRunContext['task']['retryPolicy']>, attempt: number): number {
  const seconds = (text: string | undefined, fallback: number) => (text ? Number(text.replace(/s$/, '')) : fallback);
  const base = seconds(retry.backoffDuration, 0);
  const max = seconds(retry.backoffMaxDuration, 3600);
  return Math.min(base * (retry.backoffFactor ?? 2) ** (attempt - 1), max) * 1000;
}

/**
 * A cache hit: the new execution becomes CACHED and points at the cached execution's artifacts;
 * nothing is copied. A hit whose local artifact files are gone counts as a miss.
 */
function reuseCached(t: TaskRunContext, executionId: number, fingerprint: string): TaskOutcome | undefined {
  const { ctx } = t;
  const hit = ctx.store.findCachedExecution(ctx.pipelineContextId, fingerprint);
  if (!hit) return undefined;
  const artifacts: Record<string, ArtifactRef[]> = {};
  for (const [key, ids] of Object.entries(hit.outputArtifacts)) {
    setOwnValue(
      artifacts,
      key,
      ids.map((id) => artifactRefFromRecord(ctx.store.getArtifact(id)!, key)),
    );
  }
  const missing = Object.values(artifacts)
    .flat()
    .some((ref) => path.isAbsolute(ref.artifact.uri ?? '') && !fs.existsSync(ref.artifact.uri!));
  if (missing) return undefined;
  const parameters = (hit.outputs ?? {}) as Record<string, unknown>;
  const properties: Record<string, PropertyValue> = {
    cache_fingerprint: { string: fingerprint },
    cached_execution_id: { string: String(hit.execution.id) },
    outputs: { struct: parameters },
  };
  ctx.store.updateExecution(executionId, {
    state: 'CACHED',
    customProperties: properties,
    outputs: Object.entries(artifacts).map(([key, refs]) => ({ key, artifactIds: refs.map((r) => r.id) })),
    contextIds: [ctx.pipelineContextId, ctx.runContextId],
  });
  ctx.reporter.task({ kind: 'cached', path: t.path, cachedExecutionId: hit.execution.id });
  return { state: 'cached', parameters, artifacts, executionId };
}

function workingDirectoryFor(ctx: TaskRunContext['ctx'], image: string): string {
  return Object.hasOwn(ctx.imageWorkingDirectories, image) ? ctx.imageWorkingDirectories[image]! : ctx.workingDirectory;
}
