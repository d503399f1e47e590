import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';
import { gcsDotSegmentProblem } from '../../compiler/util/gcs-uri';
import { isLoopbackHost } from '../../compiler/util/loopback-host';
import type { LocalLauncher } from '../../runner/local-launchers';
import { EmulatedJob, type ScriptedStep } from './emulated-job';
import { EmulatedMetadata, type MetadataMethod } from './metadata-service-emulator';
import { type InjectedFailure, toServiceError } from './injected-failure';
import { listFilter } from './list-filter';
import { cancelLocalExecution, executeJobLocally } from './local-job-execution';
import { serviceProtos } from './service-protos';

export interface EmulatorOptions {
  /**
   * The address to listen on. Anything but a loopback address (127.0.0.0/8, ::1, localhost) is
   * refused unless `allowRemote`. @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Listen on a non-loopback `host`. The service is plaintext gRPC without authentication and runs
   * the commands of every job it receives on this machine: anyone who can reach the port can run
   * commands here as this user. @default false
   */
  readonly allowRemote?: boolean;
  /** @default 0: an ephemeral port */
  readonly port?: number;
  /** Run created jobs with the local runner. @default true */
  readonly execute?: boolean;
  /** Where gs:// paths and the ML Metadata store of executed jobs live. @default a new temporary folder, deleted by stop() */
  readonly workDir?: string;
  /** Where executed container commands start. @default the current directory */
  readonly workingDirectory?: string;
  /**
   * In-process stand-ins for containers that would call a cloud API, as `runPipeline` takes them.
   * Pass `gcpcLocalLaunchers` from `kfp-ts/serving` to run GCPC's upload/deploy steps against the
   * local registry and prediction server, as `kfp-ts emulator` does. Left out, such a step runs its
   * container command on the host like any other. (An option rather than a default so that vertex/
   * does not depend on serving/.) @default none
   */
  readonly localLaunchers?: readonly LocalLauncher[];
  readonly log?: (line: string) => void;
}

export type EmulatedMethod = 'createPipelineJob' | 'getPipelineJob' | 'listPipelineJobs' | 'cancelPipelineJob' | MetadataMethod;

/** A call as it arrived: the decoded request (Values keep their `kind`) and the request metadata. */
export interface RecordedCall {
  readonly method: EmulatedMethod;
  readonly request: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  /** When it arrived (Date.now()). */
  readonly receivedAt: number;
}

// The real service takes far more than grpc-js's default 4 MiB; the client checks the API limit itself.
const maxMessageBytes = 64 * 1024 * 1024;
const jobIdPattern = /^[a-z][-a-z0-9]{0,127}$/;
const parentPattern = /^projects\/[^/]+\/locations\/[^/]+$/;

/**
 * A Vertex AI PipelineService over gRPC on loopback (another address only with `allowRemote`), built from the protos the npm packages ship:
 * Create, Get, List and Cancel PipelineJob. It records every call exactly as received, can be told
 * to fail calls with given status codes and details, and runs created jobs with the local runner
 * (or follows scripted states), so the real client and `kfp-ts submit --endpoint` work end to end.
 */
export class PipelineServiceEmulator {
  readonly calls: RecordedCall[] = [];
  /** The MetadataService's stores and contexts (experiments, and the run contexts of jobs added to them). */
  readonly metadata = new EmulatedMetadata((name) =>
    [...this.jobs.values()]
      .map((job) => (job.resource['jobDetail'] as { pipelineRunContext?: Record<string, unknown> } | undefined)?.pipelineRunContext)
      .find((context) => context?.['name'] === name),
  );
  private readonly jobs = new Map<string, EmulatedJob>();
  private readonly failures: { method: EmulatedMethod; failure: InjectedFailure }[] = [];
  private readonly runs = new Set<Promise<void>>();
  private readonly nextScripts: (readonly ScriptedStep[])[] = [];

  private constructor(
    private readonly server: grpc.Server,
    readonly host: string,
    readonly port: number,
    readonly workDir: string,
    private readonly options: EmulatorOptions,
    /** Whether workDir is a temporary folder the emulator made (and so deletes when it stops). */
    private readonly ownsWorkDir: boolean,
  ) {}

  static async start(options: EmulatorOptions = {}): Promise<PipelineServiceEmulator> {
    const host = options.host ?? '127.0.0.1';
    if (!isLoopbackHost(host) && !options.allowRemote) throw new RemoteEmulatorRefused(host);
    const ownsWorkDir = options.workDir === undefined;
    const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-emulator-'));
    const server = new grpc.Server({ 'grpc.max_receive_message_length': maxMessageBytes, 'grpc.max_send_message_length': maxMessageBytes });
    let port: number;
    try {
      port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(
          `${host.includes(':') ? `[${host}]` : host}:${options.port ?? 0}`,
          grpc.ServerCredentials.createInsecure(),
          (error, bound) => (error ? reject(error) : resolve(bound)),
        ),
      );
    } catch (error) {
      if (ownsWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
    const emulator = new PipelineServiceEmulator(server, host, port, workDir, options, ownsWorkDir);
    server.addService(serviceProtos().pipelineService, emulator.handlers());
    const metadataMethods: MetadataMethod[] = [
      'getMetadataStore',
      'createMetadataStore',
      'getContext',
      'createContext',
      'addContextChildren',
    ];
    server.addService(
      serviceProtos().metadataService,
      Object.fromEntries(
        metadataMethods.map((method) => [method, emulator.recorded(method, (request) => emulator.metadata.serve(method, request))]),
      ),
    );
    return emulator;
  }

  /** `host:port`, for `--endpoint`. */
  get endpoint(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** The requests received by one method, oldest first. */
  requests(method: EmulatedMethod): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request);
  }

  /** The next `times` calls of `method` fail with `failure` instead of being served. */
  failNext(method: EmulatedMethod, failure: InjectedFailure, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ method, failure });
  }

  /** A job by full name or id. */
  job(nameOrId: string): EmulatedJob | undefined {
    return this.jobs.get(nameOrId) ?? [...this.jobs.values()].find((j) => j.name.endsWith(`/pipelineJobs/${nameOrId}`));
  }

  /** Scripts the states the next created job shows on its Gets, one step per Get (for jobs not executed locally). */
  scriptNextJob(steps: readonly ScriptedStep[]): void {
    this.nextScripts.push(steps);
  }

  /** Scripts the states a job shows on the next Gets (for jobs not executed locally). */
  scriptStates(nameOrId: string, steps: readonly ScriptedStep[]): void {
    const job = this.job(nameOrId);
    if (!job) throw new Error(`the emulator has no job '${nameOrId}'`);
    job.scriptStates(steps);
  }

  /** Stops serving, after letting local runs finish; deletes the work folder if the emulator made it. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.runs]);
    await new Promise<void>((resolve) => this.server.tryShutdown(() => resolve()));
    if (this.ownsWorkDir) fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  /** A handler that records the call, then answers with an injected failure or what `serve` says (MetadataService). */
  private recorded(method: EmulatedMethod, serve: (request: Record<string, unknown>) => Reply) {
    return (call: grpc.ServerUnaryCall<Record<string, unknown>, object>, callback: grpc.sendUnaryData<object>) => {
      this.calls.push({ method, request: structuredClone(call.request), metadata: call.metadata.getMap(), receivedAt: Date.now() });
      const injectedAt = this.failures.findIndex((f) => f.method === method);
      const reply = injectedAt >= 0 ? { failure: this.failures.splice(injectedAt, 1)[0]!.failure } : serve(call.request);
      if ('failure' in reply) callback(toServiceError(reply.failure));
      else callback(null, reply.response);
    };
  }

  private handlers(): grpc.UntypedServiceImplementation {
    const handle =
      (method: EmulatedMethod, serve: (request: Record<string, unknown>) => Reply) =>
      (call: grpc.ServerUnaryCall<Record<string, unknown>, object>, callback: grpc.sendUnaryData<object>) => {
        this.calls.push({ method, request: structuredClone(call.request), metadata: call.metadata.getMap(), receivedAt: Date.now() });
        const injectedAt = this.failures.findIndex((f) => f.method === method);
        const injected = injectedAt >= 0 ? this.failures.splice(injectedAt, 1)[0]!.failure : undefined;
        const served = !injected || injected.afterServing ? serve(call.request) : undefined;
        const reply = injected ? { failure: injected } : served!;
        if ('failure' in reply) callback(toServiceError(reply.failure));
        else callback(null, reply.response);
      };
    return {
      createPipelineJob: handle('createPipelineJob', (request) => this.create(request)),
      getPipelineJob: handle('getPipelineJob', (request) => {
        const job = this.jobs.get(String(request['name']));
        if (!job) return notFound(request['name']);
        job.advance();
        return { response: job.resource };
      }),
      listPipelineJobs: handle('listPipelineJobs', (request) => this.list(request)),
      cancelPipelineJob: handle('cancelPipelineJob', (request) => {
        const job = this.jobs.get(String(request['name']));
        if (!job) return notFound(request['name']);
        if (job.isTerminal) return fail(grpc.status.FAILED_PRECONDITION, `Cannot cancel a pipeline job in state ${job.state}.`);
        job.cancelRequested = true;
        job.setState('PIPELINE_STATE_CANCELLING');
        cancelLocalExecution(job);
        return { response: {} };
      }),
    };
  }

  private create(request: Record<string, unknown>): Reply {
    const parent = String(request['parent'] ?? '');
    if (!parentPattern.test(parent)) return invalid('parent', `'${parent}' is not projects/{project}/locations/{location}`);
    const received = (request['pipelineJob'] ?? {}) as Record<string, unknown>;
    const spec = received['pipelineSpec'] as { fields?: Record<string, unknown> } | undefined;
    // What the service says when the spec arrived empty (a plain object passed as the Struct).
    if (!spec || Object.keys(spec.fields ?? {}).length === 0) return invalid('pipeline_job.pipeline_spec', 'The pipeline spec is empty.');
    const runtimeConfig = received['runtimeConfig'] as { gcsOutputDirectory?: string } | undefined;
    if (!runtimeConfig?.gcsOutputDirectory)
      return invalid('pipeline_job.runtime_config.gcs_output_directory', 'A pipeline root (gcs_output_directory) is required.');
    // Its local folder is resolved, so '..' would place the job's outputs outside the work folder.
    const rootProblem = gcsDotSegmentProblem(runtimeConfig.gcsOutputDirectory, 'gcs_output_directory');
    if (rootProblem) return invalid('pipeline_job.runtime_config.gcs_output_directory', rootProblem);
    const givenId = String(request['pipelineJobId'] ?? '');
    if (givenId && !jobIdPattern.test(givenId)) return invalid('pipeline_job_id', `'${givenId}' must match [a-z][-a-z0-9]{0,127}`);
    const name = `${parent}/pipelineJobs/${givenId || generatedJobId()}`;
    if (this.jobs.has(name)) return fail(grpc.status.ALREADY_EXISTS, `PipelineJob ${name} already exists.`);
    const job = new EmulatedJob(name, structuredClone(received));
    this.jobs.set(name, job);
    const script = this.nextScripts.shift();
    if (script) job.scriptStates(script);
    else if (this.options.execute ?? true) this.execute(job);
    return { response: job.resource };
  }

  private execute(job: EmulatedJob): void {
    job.executing = true;
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        job.cancelRequested
          ? job.finish('PIPELINE_STATE_CANCELLED', { code: 1, message: 'CANCELLED: the job was cancelled' })
          : executeJobLocally(job, {
              workDir: this.workDir,
              workingDirectory: this.options.workingDirectory ?? process.cwd(),
              localLaunchers: this.options.localLaunchers ?? [],
              log: this.options.log ?? (() => {}),
            }),
      )
      .finally(() => {
        job.executing = false;
        this.runs.delete(run);
      });
    this.runs.add(run);
  }

  private list(request: Record<string, unknown>): Reply {
    const parent = String(request['parent'] ?? '');
    if (!parentPattern.test(parent)) return invalid('parent', `'${parent}' is not projects/{project}/locations/{location}`);
    let matches: (job: EmulatedJob) => boolean;
    try {
      matches = listFilter(String(request['filter'] ?? ''));
    } catch (error) {
      return invalid('filter', (error as Error).message);
    }
    const all = [...this.jobs.values()].filter((job) => job.name.startsWith(`${parent}/`) && matches(job)).reverse(); // newest first
    const start = Number(request['pageToken'] || 0);
    const size = Number(request['pageSize'] || 100);
    const page = all.slice(start, start + size);
    return {
      response: { pipelineJobs: page.map((job) => job.resource), nextPageToken: start + size < all.length ? String(start + size) : '' },
    };
  }
}

/** A non-loopback listen address without `allowRemote` (`--allow-remote`). */
export class RemoteEmulatorRefused extends KfpTsError {
  override readonly name = 'RemoteEmulatorRefused';
  constructor(readonly host: string) {
    super(
      `the emulator would listen on '${host}', which is not a loopback address. It serves plaintext gRPC without ` +
        'authentication and runs the commands of every job it receives on this machine, so anyone who can reach the port ' +
        `could run commands here. Listen on 127.0.0.1 (the default), or pass --allow-remote (allowRemote: true) if that is intended.`,
    );
  }
}

/** What a handler answers: a response message, or a failure sent as a gRPC error. */
type Reply = { readonly response: object } | { readonly failure: InjectedFailure };

function fail(code: grpc.status, message: string): Reply {
  return { failure: { code, message } };
}

function notFound(name: unknown): Reply {
  return fail(grpc.status.NOT_FOUND, `PipelineJob ${String(name)} is not found.`);
}

function invalid(field: string, description: string): Reply {
  return {
    failure: { code: grpc.status.INVALID_ARGUMENT, message: `Invalid ${field}: ${description}`, fieldViolations: [{ field, description }] },
  };
}

/** The service makes numeric ids when none is given. */
function generatedJobId(): string {
  return `${Date.now()}${Math.floor(Math.random() * 1000)}`;
}
