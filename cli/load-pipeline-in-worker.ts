import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { KfpTsError } from '../compiler/errors/kfp-ts-error';
import { UsageError } from './sub-command';
import type { LoadedPipeline } from './load-ir-or-pipeline';
import { PipelineModuleError } from './load-pipeline-module';
import { projectValues } from './project-options';
import type { WorkerRequest } from './pipeline-load-worker';
import { reviveError, type SerializedError } from './worker-errors';

/** The option of every command that loads a pipeline file. */
export const LOAD_TIMEOUT_OPTION_NAMES = { loadTimeout: ['--load-timeout'] } as const;
export const DEFAULT_LOAD_TIMEOUT_SECONDS = 60;
export const LOAD_TIMEOUT_USAGE = `  --load-timeout SECONDS  give up loading and compiling the pipeline file after this long
                          (default ${DEFAULT_LOAD_TIMEOUT_SECONDS})`;

/** Ctrl-C (or SIGTERM) while the pipeline file was loading: exit 130 (143), as a shell reports it. */
export class LoadCancelledError extends KfpTsError {
  override readonly name = 'LoadCancelledError';
  override readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

export interface PipelineFileRequest {
  /** The file as the user typed it (messages name it so), relative to `cwd`. */
  readonly file: string;
  readonly cwd: string;
  readonly exportName?: string;
  readonly config?: string;
  readonly registry?: string;
  /** Also the IR as text, in this format. */
  readonly format?: 'json' | 'yaml';
  /** The --load-timeout value as typed; DEFAULT_LOAD_TIMEOUT_SECONDS when absent. */
  readonly loadTimeout?: string;
  /** Where what the pipeline's code prints goes (stdout may carry the IR, so: the command's stderr). */
  readonly output: (text: string) => void;
}

/** The request's fields from the options of every command that loads a pipeline file (--export, --load-timeout, --config, --registry). */
export function pipelineFileOptions(
  values: Readonly<Record<string, string | undefined>>,
): Pick<PipelineFileRequest, 'exportName' | 'loadTimeout' | 'config' | 'registry'> {
  return {
    ...(values['export'] !== undefined ? { exportName: values['export'] } : {}),
    ...(values['loadTimeout'] !== undefined ? { loadTimeout: values['loadTimeout'] } : {}),
    ...projectValues(values),
  };
}

export interface LoadedPipelineFile extends LoadedPipeline {
  readonly text?: string;
}

type Reply =
  | { readonly ok: true; readonly loaded: LoadedPipeline; readonly text?: string }
  | { readonly ok: false; readonly error: SerializedError };

/**
 * Loads and compiles a pipeline file (or reads compiled IR) in a worker thread: the user's code
 * runs there, so an import that loops forever is stopped after the time limit, and Ctrl-C works
 * while it loads (a busy main thread would never run a signal handler). Only data comes back: the
 * IR and the project context; the runner and the Vertex client consume IR.
 */
export function loadPipelineFile(request: PipelineFileRequest): Promise<LoadedPipelineFile> {
  const timeoutMs = loadTimeoutMs(request.loadTimeout);
  const workerRequest: WorkerRequest = {
    file: path.resolve(request.cwd, request.file),
    cwd: request.cwd,
    ...(request.exportName !== undefined ? { exportName: request.exportName } : {}),
    ...(request.config !== undefined ? { config: request.config } : {}),
    ...(request.registry !== undefined ? { registry: request.registry } : {}),
    ...(request.format !== undefined ? { format: request.format } : {}),
  };
  // The worker has its own module registry: the TypeScript hook first, then the worker's body
  // (a .ts file in a checkout, .js once built).
  const source = `require(${JSON.stringify(require.resolve('../project/register-ts'))});\nrequire(${JSON.stringify(require.resolve('./pipeline-load-worker'))});\n`;
  const worker = new Worker(source, { eval: true, workerData: workerRequest, stdout: true, stderr: true });
  const forward = (chunk: Buffer) => request.output(chunk.toString('utf8'));
  worker.stdout.on('data', forward);
  worker.stderr.on('data', forward);

  return new Promise<LoadedPipelineFile>((resolve, reject) => {
    let outcome: { readonly value: LoadedPipelineFile } | { readonly error: unknown } | undefined;
    const settle = (result: NonNullable<typeof outcome>) => {
      if (outcome !== undefined) return;
      outcome = result;
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      // The pipeline's module may leave timers or sockets open: the thread is ended, not waited for.
      void worker.terminate();
    };
    const onInt = () => settle({ error: new LoadCancelledError(`cancelled (SIGINT) while loading ${request.file}`, 130) });
    const onTerm = () => settle({ error: new LoadCancelledError(`cancelled (SIGTERM) while loading ${request.file}`, 143) });
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const timer = setTimeout(() => {
      settle({
        error: new PipelineModuleError(
          `${request.file}: loading and compiling it took longer than ${timeoutMs / 1000} s, so it was stopped; ` +
            `the file or a module it imports may loop forever or wait at import time (move slow work into a step), ` +
            `or give it longer with --load-timeout SECONDS`,
        ),
      });
    }, timeoutMs);
    worker.on('message', (reply: Reply) => {
      settle(
        reply.ok
          ? { value: { ...reply.loaded, ...(reply.text !== undefined ? { text: reply.text } : {}) } }
          : { error: reviveError(reply.error, request.file) },
      );
    });
    worker.on('error', (error) => settle({ error }));
    worker.on('exit', (code) => {
      settle({
        error: new PipelineModuleError(
          `${request.file}: loading it ended the process (exit code ${code}) before the pipeline compiled; remove the process.exit() call from the file or what it imports`,
        ),
      });
    });
    // Reported once the thread is gone, so what the pipeline's code printed comes first.
    worker.once('exit', () => {
      if (outcome === undefined) return;
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    });
  });
}

function loadTimeoutMs(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LOAD_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text);
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`--load-timeout must be a number of seconds > 0, got '${text}'`);
  return seconds * 1000;
}
