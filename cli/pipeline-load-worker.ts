/**
 * The body of the worker thread that load-pipeline-in-worker.ts starts: loads the pipeline file
 * (and the project's configuration) and compiles it, then posts back only data: the IR, the step
 * reports and the project context, or the error as plain data (worker-errors.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toPipelineJson, toPipelineYaml } from '../compiler/write-ir';
import { loadIrOrPipeline, type LoadOptions } from './load-ir-or-pipeline';
import { serializeError } from './worker-errors';

export interface WorkerRequest extends LoadOptions {
  /** The pipeline file, absolute. */
  readonly file: string;
  /** Also write the IR as text in this format (what `kfp-ts compile` prints or writes). */
  readonly format?: 'json' | 'yaml';
}

const request = workerData as WorkerRequest;
let reply: unknown;
try {
  const loaded = loadIrOrPipeline(request.file, request);
  const text =
    request.format === 'json'
      ? toPipelineJson(loaded.spec)
      : request.format === 'yaml'
        ? toPipelineYaml(loaded.spec, loaded.description)
        : undefined;
  reply = { ok: true, loaded, ...(text !== undefined ? { text } : {}) };
} catch (error) {
  reply = { ok: false, error: serializeError(error) };
}
parentPort!.postMessage(reply);
