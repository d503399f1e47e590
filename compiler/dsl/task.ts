import { isCustomAccelerator, type AcceleratorType, type CustomAccelerator } from './accelerators';
import { ArtifactChannel, ParameterChannel, type Channel } from './channels';
import type { ComponentDefinition } from './component-definition';
import { DslUsageError } from './errors';
import { CallSite } from './source-location';
import type { ParameterSpec, ArtifactSpec, AsSpec, IoSpecs, IoSpec } from './types';
import type { ExitHandlerGroup, Group, PipelineBody } from './pipeline-body';

/** The channel a task output of a given spec produces. */
export type ChannelFor<S> =
  AsSpec<S> extends ParameterSpec<infer N, infer V, boolean, infer I>
    ? ParameterChannel<N, V, I>
    : AsSpec<S> extends ArtifactSpec<infer T, infer L, boolean>
      ? ArtifactChannel<T, L>
      : never;

export type OutputChannels<O extends IoSpecs> = { readonly [K in keyof O]: ChannelFor<O[K]> };

export type { AcceleratorType } from './accelerators';

/** A value known when the pipeline is compiled, or a string parameter known only when it runs. */
export type StringSetting = string | ParameterChannel<'STRING'>;

/** A duration unit, as the reference's `set_retry` reads it: seconds, minutes, hours, days, weeks. */
export type DurationUnit = 's' | 'm' | 'h' | 'd' | 'w';
type DurationWord = 'second' | 'minute' | 'hour' | 'day' | 'week';

/**
 * A retry wait: seconds as a number (`30`), or a number with a unit (`'30s'`, `'2m'`, `'1h'`,
 * `'2 hours'`). The IR holds it in seconds (`'2m'` → `120s`).
 */
export type RetryDuration = number | `${number}${DurationUnit}` | `${number}${' ' | ''}${DurationWord}${'s' | ''}`;

export interface RetryOptions {
  /** How many times to retry after the first failure. */
  readonly maxRetries: number;
  /** Wait before the first retry, e.g. `'30s'`, `'2m'` or `30`. @default '0s' */
  readonly backoffDuration?: RetryDuration;
  /** Multiplier for each further wait. @default 2 */
  readonly backoffFactor?: number;
  /** Cap on the wait, e.g. `'1h'` (also the most Vertex allows). @default '3600s' */
  readonly backoffMaxDuration?: RetryDuration;
}

export interface ResourceSettings {
  cpuLimit?: StringSetting;
  cpuRequest?: StringSetting;
  memoryLimit?: StringSetting;
  memoryRequest?: StringSetting;
  acceleratorType?: StringSetting;
  acceleratorCount?: StringSetting;
}

/** Everything set on a task after it was created. */
export interface TaskSettings {
  displayName?: string;
  caching: boolean;
  cacheKey?: string;
  retry?: RetryOptions;
  /** Where setRetry was called, for problems with its options. */
  retryCallSite?: CallSite;
  /** Where the accelerator type was set, and whether it is a customAccelerator() (not checked). */
  acceleratorTypeSet?: { readonly callSite: CallSite; readonly custom: boolean };
  resources: ResourceSettings;
  env: { name: string; value: string }[];
  image?: string;
  after: Task[];
  /** Run even when upstream tasks failed (trigger strategy ALL_UPSTREAM_TASKS_COMPLETED). */
  ignoreUpstreamFailure: boolean;
  /** Set when the task is the exit task of an ExitHandler. */
  exitHandlerOf?: ExitHandlerGroup;
}

const taskBrand = Symbol.for('kfp-ts.task');

/** One use of a component inside a pipeline body. */
export class Task<O extends IoSpecs = IoSpecs> {
  readonly [taskBrand] = true;
  readonly settings: TaskSettings = { caching: true, resources: {}, env: [], after: [], ignoreUpstreamFailure: false };
  /** Typed channels for each output, to wire into other tasks or pipeline outputs. */
  readonly outputs: OutputChannels<O>;

  constructor(
    readonly component: ComponentDefinition,
    /** Arguments as given; checked against the component's inputs when the pipeline compiles. */
    readonly args: Readonly<Record<string, unknown>>,
    readonly body: PipelineBody,
    readonly group: Group,
    /** The task's key in its pipeline's DAG: the sanitized component name, made unique. */
    readonly name: string,
    /** Where the user's code created the task. */
    readonly callSite: CallSite = new CallSite(),
  ) {
    const outputs: Record<string, Channel> = {};
    for (const [key, spec] of Object.entries(component.outputs)) outputs[key] = outputChannel(this, key, spec);
    this.outputs = outputs as OutputChannels<O>;
  }

  /** `task 'name'`, for messages (the pipeline is in the problem's path). */
  describe(): string {
    return `task '${this.name}'`;
  }

  /** Slash-separated path from the pipeline, for error messages. */
  get path(): string {
    return `${this.body.path}/${this.name}`;
  }

  /** Runs this task only after the given tasks succeeded, even without a data dependency. */
  after(...tasks: Task[]): this {
    const notTask = tasks.findIndex((task) => !(task instanceof Task));
    if (notTask >= 0) {
      throw new DslUsageError(
        `${this.describe()}: after() takes tasks, but argument ${notTask + 1} is ${tasks[notTask] === null ? 'null' : typeof tasks[notTask]}`,
        'pass the values that component calls return, e.g. train(…).after(prepareTask)',
        new CallSite().location,
      );
    }
    this.settings.after.push(...tasks);
    return this;
  }

  /** The name shown in the Vertex console (`taskInfo.name`); the task key stays unique. */
  setDisplayName(name: string): this {
    this.settings.displayName = name;
    return this;
  }

  /** Turns execution caching on or off for this task. @default on */
  setCaching(enabled: boolean): this {
    this.settings.caching = enabled;
    return this;
  }

  /** A custom cache key: tasks with the same key reuse each other's results. */
  setCacheKey(key: string): this {
    this.settings.cacheKey = key;
    return this;
  }

  /** Retries the task when it fails, waiting `backoffDuration`, then `backoffFactor` times longer each time. */
  setRetry(options: RetryOptions): this {
    this.settings.retry = options;
    this.settings.retryCallSite = new CallSite();
    return this;
  }

  /** CPU limit as Kubernetes quantity: `'2'`, `'500m'`. */
  setCpuLimit(cpu: StringSetting): this {
    this.settings.resources.cpuLimit = cpu;
    return this;
  }

  setCpuRequest(cpu: StringSetting): this {
    this.settings.resources.cpuRequest = cpu;
    return this;
  }

  /** Memory limit as Kubernetes quantity: `'16G'`, `'512Mi'`. */
  setMemoryLimit(memory: StringSetting): this {
    this.settings.resources.memoryLimit = memory;
    return this;
  }

  setMemoryRequest(memory: StringSetting): this {
    this.settings.resources.memoryRequest = memory;
    return this;
  }

  /**
   * Accelerator type: a Vertex AI name (`'NVIDIA_L4'`, `'TPU_V5_LITEPOD'`, …, checked in `tsc` and
   * when the pipeline compiles), a string parameter (checked by the platform when the pipeline
   * runs), or `customAccelerator(name)` for any other name, such as Kubernetes' `'nvidia.com/gpu'`
   * or a Vertex AI type newer than kfp-ts. The count defaults to 1.
   */
  setAcceleratorType(type: AcceleratorType | CustomAccelerator | ParameterChannel<'STRING'>): this {
    const custom = isCustomAccelerator(type);
    this.settings.resources.acceleratorType = custom ? type.name : type;
    this.settings.acceleratorTypeSet = { callSite: new CallSite(), custom };
    return this;
  }

  setAcceleratorLimit(count: number | StringSetting): this {
    this.settings.resources.acceleratorCount = typeof count === 'number' ? String(count) : count;
    return this;
  }

  /** Both accelerator settings at once: see setAcceleratorType, e.g. `setAccelerator('NVIDIA_L4', 1)`. */
  setAccelerator(type: AcceleratorType | CustomAccelerator | ParameterChannel<'STRING'>, count: number | StringSetting = 1): this {
    return this.setAcceleratorType(type).setAcceleratorLimit(count);
  }

  /**
   * Sets an environment variable of the task's container. Setting a name again replaces its value
   * and keeps its place, as the reference compiler's env dict does.
   */
  setEnv(name: string, value: string): this {
    const existing = this.settings.env.find((variable) => variable.name === name);
    if (existing) existing.value = value;
    else this.settings.env.push({ name, value });
    return this;
  }

  /**
   * Runs this task once its upstream tasks are done, even if some failed (KFP's
   * ignore_upstream_failure); a `t.taskFinalStatus()` input receives the upstream's final status.
   */
  ignoreUpstreamFailure(): this {
    this.settings.ignoreUpstreamFailure = true;
    return this;
  }

  /** Runs this task with another container image than the component's. */
  setImage(image: string): this {
    this.settings.image = image;
    return this;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[taskBrand] === true;
  }
}

function outputChannel(task: Task, output: string, spec: IoSpec): Channel {
  const source = { kind: 'taskOutput', task, output } as const;
  return spec.kind === 'parameter'
    ? new ParameterChannel(source, spec.type, spec.itemType)
    : new ArtifactChannel(source, spec.artifactType, spec.isList);
}
