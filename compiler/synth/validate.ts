import { isChannel, type ArtifactChannel, type ParameterChannel } from '../dsl/channels';
import { isVertexAcceleratorType, vertexAcceleratorTypes } from '../dsl/accelerators';
import type { ComponentImplementation } from '../dsl/component-definition';
import type { PipelineProblem } from '../dsl/errors';
import type { SourceLocation } from '../dsl/source-location';
import { isFormattedString } from '../dsl/formatted-string';
import type { PipelineBody } from '../dsl/pipeline-body';
import type { Task } from '../dsl/task';
import type { ArtifactSpec, IoSpec, ParameterSpec, ParameterTypeName } from '../dsl/types';
import { FlowModel } from './flow-analysis';
import { validateControlFlow } from './validate-control-flow';
import { validateLoopItemScopes } from './validate-loop-items';
import { describeValue } from '../util/describe-value';
import { sanitizeName } from '../util/names';
import { valueMatchesParameterType } from '../util/parameter-values';
import { cpuFormatHelp, memoryFormatHelp, parseCpu, parseMemoryGb } from './resources';
import { durationFormatHelp, parseDurationSeconds } from './retry-policy';

/**
 * The validation pass: walks a pipeline body (and every pipeline used inside it) and returns every
 * problem at once, each with its task path, the user's source line and a fix. Synthesis runs only
 * on a tree that passes.
 */
export function validatePipelineBody(body: PipelineBody, models = new Map<PipelineBody, FlowModel>()): PipelineProblem[] {
  const problems: PipelineProblem[] = [];
  const visited = new Set<PipelineBody>();
  const visit = (current: PipelineBody) => {
    if (visited.has(current)) return;
    visited.add(current);
    const before = problems.length;
    validateBody(current, problems);
    // Data flow across control-flow scopes is analysed only on a body whose wiring is sound.
    if (problems.length === before) {
      const model = new FlowModel(current);
      models.set(current, model);
      problems.push(...model.problems);
    }
    for (const task of current.tasks) {
      if (task.component.implementation.kind === 'pipeline') visit(task.component.implementation.body);
    }
  };
  visit(body);
  return problems;
}

function validateBody(body: PipelineBody, problems: PipelineProblem[]): void {
  const pipelineProblem = (message: string, fix: string) =>
    problems.push({ path: body.path || body.name, location: body.callSite.location, message, fix });
  if (sanitizeName(body.name) === '') {
    pipelineProblem(`pipeline name '${body.name}' has no letters or digits`, "name it with letters, digits and '-'");
  }
  for (const task of body.tasks) validateTask(task, problems);
  validateControlFlow(body, problems);
  validateLoopItemScopes(body, problems);
  for (const [name, output] of Object.entries(body.outputs)) {
    if (!isChannel(output)) {
      pipelineProblem(
        `pipeline output '${name}' is ${describeValue(output)}, not a task output`,
        `return task outputs from the pipeline function, e.g. { ${name}: task.outputs.x }`,
      );
    } else if (collectsNonTaskOutput(output)) {
      pipelineProblem(`pipeline output '${name}' collects ${collectedOrigin(output).describe()}, which is not a task output`, collectFix);
    } else if (output.source.kind === 'pipelineInput' || output.source.kind === 'loopItem') {
      pipelineProblem(
        `pipeline output '${name}' is ${output.describe()}; pipeline outputs must come from tasks`,
        'return an output of a task in this pipeline',
      );
    } else if (ownerBody(output) !== body) {
      pipelineProblem(
        `pipeline output '${name}' is ${output.describe()} of another pipeline`,
        'return an output of a task created inside this pipeline function',
      );
    } else if (output.source.kind === 'taskOutput' && output.source.task.group !== body.root) {
      pipelineProblem(
        `pipeline output '${name}' is ${output.describe()}, which runs inside a ${output.source.task.group.kind === 'loop' ? 'ParallelFor' : 'condition or exit handler'}`,
        output.source.task.group.kind === 'loop'
          ? 'return the value from the ParallelFor body and output loop.outputs.<name> (a list)'
          : 'return the value from every branch of an If/Elif/Else and output chain.outputs.<name>',
      );
    }
  }
  reportCycles(body, problems);
}

function validateTask(task: Task, problems: PipelineProblem[]): void {
  const report = (message: string, fix: string, location = task.callSite.location) =>
    problems.push({ path: task.path, location, message, fix });
  const { inputs } = task.component;
  const inputNames = Object.keys(inputs);
  for (const [name, value] of Object.entries(task.args)) {
    const spec = inputs[name];
    if (!spec) {
      report(
        `unknown input '${name}' for component '${task.component.name}'`,
        inputNames.length ? `its inputs are: ${inputNames.join(', ')}` : 'the component takes no inputs; remove the argument',
      );
      continue;
    }
    if (value === undefined) {
      if (!spec.isOptional) report(`required input '${name}' is undefined`, `pass a value for '${name}'`);
      continue;
    }
    const mismatch = argumentMismatch(spec, value, task.body);
    if (mismatch) report(`input '${name}': ${mismatch.message}`, mismatch.fix);
  }
  const missing = inputNames.filter((name) => !inputs[name]!.isOptional && !(name in task.args));
  if (missing.length) {
    report(
      `missing required input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} of component '${task.component.name}'`,
      `pass ${missing.map((m) => `'${m}'`).join(', ')} in the arguments`,
    );
  }
  validateUpstreamFailureHandling(task, report);
  for (const upstream of task.settings.after) {
    if (upstream.body !== task.body) {
      report(`after(${upstream.describe()}) names a task of another pipeline`, 'only order tasks of the same pipeline');
    }
  }
  validateSettings(task, report);
}

/**
 * The reference's rules for tasks that run after failures: only an exit task or a task with
 * `.ignoreUpstreamFailure()` is given a final status, and the latter must not need a value that a
 * failed upstream task never produced.
 */
function validateUpstreamFailureHandling(task: Task, report: (message: string, fix: string) => void): void {
  const { settings } = task;
  for (const [name, spec] of Object.entries(task.component.inputs)) {
    const receivesStatus = settings.exitHandlerOf !== undefined || settings.ignoreUpstreamFailure;
    if (spec.kind === 'parameter' && spec.type === 'TASK_FINAL_STATUS' && !(name in task.args) && !receivesStatus) {
      report(
        `input '${name}' is a t.taskFinalStatus(), which only an exit task or a task with .ignoreUpstreamFailure() is given`,
        'make the task the exit task of an ExitHandler, or call .ignoreUpstreamFailure() on it',
      );
    }
  }
  if (!settings.ignoreUpstreamFailure) return;
  for (const [name, value] of Object.entries(task.args)) {
    const spec = task.component.inputs[name];
    if (!spec || spec.isOptional || !isChannel(value) || !producedByTask(value)) continue;
    report(
      `ignoreUpstreamFailure(): input '${name}' takes ${value.describe()}, which is missing when that task fails, and '${name}' has no default`,
      `give '${name}' a default or make it optional in the component, or do not call ignoreUpstreamFailure()`,
    );
  }
}

/** Whether a channel's value comes from a task (and so is missing when that task fails). */
function producedByTask(channel: ParameterChannel | ArtifactChannel): boolean {
  const source = channel.source;
  if (source.kind === 'pipelineInput') return false;
  if (source.kind === 'loopItem')
    return !Array.isArray(source.loop.items) && producedByTask(source.loop.items as ParameterChannel | ArtifactChannel);
  return true;
}

const implementationLabels: Record<ComponentImplementation['kind'], string> = {
  container: 'a container task',
  function: 'a function component task',
  importer: 'an importer task',
  loadedImporter: 'an importer task',
  pipeline: 'a pipeline used as a task',
  compiledPipeline: 'a pipeline used as a task',
};

function validateSettings(task: Task, report: (message: string, fix: string, location?: SourceLocation) => void): void {
  const { resources, retry, env } = task.settings;
  const implementationKind = task.component.implementation.kind;
  const touchesContainer = Object.keys(resources).length > 0 || env.length > 0 || task.settings.image !== undefined;
  if (touchesContainer && implementationKind !== 'container' && implementationKind !== 'function') {
    report(
      `resources, env and image can only be set on container tasks, not on ${implementationLabels[implementationKind]}`,
      'set them on the container tasks inside it',
    );
  }
  const checkQuantity = (label: string, value: unknown, parse: (text: string) => number | undefined, help: string) => {
    if (typeof value === 'string' && parse(value) === undefined) report(`${label} '${value}' is not valid`, help);
  };
  checkQuantity('CPU limit', resources.cpuLimit, parseCpu, cpuFormatHelp);
  checkQuantity('CPU request', resources.cpuRequest, parseCpu, cpuFormatHelp);
  checkQuantity('memory limit', resources.memoryLimit, parseMemoryGb, memoryFormatHelp);
  checkQuantity('memory request', resources.memoryRequest, parseMemoryGb, memoryFormatHelp);
  const acceleratorType = resources.acceleratorType;
  if (typeof acceleratorType === 'string' && !task.settings.acceleratorTypeSet?.custom && !isVertexAcceleratorType(acceleratorType)) {
    report(
      `accelerator type '${acceleratorType}' is not a Vertex AI accelerator`,
      `use one of ${vertexAcceleratorTypes.join(', ')}; for another name (a Kubernetes resource such as nvidia.com/gpu, or a newer Vertex AI type) pass customAccelerator('${acceleratorType}')`,
      (task.settings.acceleratorTypeSet?.callSite ?? task.callSite).location,
    );
  }
  const count = resources.acceleratorCount;
  if (typeof count === 'string' && !/^[1-9]\d*$/.test(count)) {
    report(`accelerator count '${count}' is not a positive whole number`, 'pass e.g. setAcceleratorLimit(1)');
  }
  for (const setting of Object.values(resources)) {
    if (isChannel(setting) && setting.source.kind === 'taskOutput' && setting.source.task.body !== task.body) {
      report(`a resource setting uses ${setting.describe()} of another pipeline`, 'use a value from this pipeline');
    }
  }
  if (retry) {
    const reportRetry = (message: string, fix: string) => report(message, fix, (task.settings.retryCallSite ?? task.callSite).location);
    if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0) {
      reportRetry(`retry count ${retry.maxRetries} is not a whole number >= 0`, 'pass e.g. setRetry({ maxRetries: 3 })');
    }
    for (const [label, duration] of [
      ['backoffDuration', retry.backoffDuration],
      ['backoffMaxDuration', retry.backoffMaxDuration],
    ] as const) {
      if (duration !== undefined && parseDurationSeconds(duration) === undefined) {
        reportRetry(
          `retry ${label} ${typeof duration === 'string' ? `'${duration}'` : String(duration)} is not a duration`,
          durationFormatHelp,
        );
      }
    }
  }
  for (const variable of env) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable.name)) {
      report(`environment variable name '${variable.name}' is not valid`, 'use letters, digits and _, not starting with a digit');
    }
  }
}

interface Mismatch {
  readonly message: string;
  readonly fix: string;
}

/** Why a value cannot be passed to an input, or undefined when it can (the run-time twin of ArgumentFor). */
export function argumentMismatch(spec: IoSpec, value: unknown, body: PipelineBody): Mismatch | undefined {
  if (isChannel(value)) {
    if (collectsNonTaskOutput(value)) {
      return { message: `collects ${collectedOrigin(value).describe()}, which is not a task output`, fix: collectFix };
    }
    const owner = ownerBody(value);
    if (owner !== undefined && owner !== body) {
      return {
        message: `${value.describe()} belongs to pipeline '${owner.name}', not to '${body.name}'`,
        fix: `pass it into '${body.name}' as one of its parameters`,
      };
    }
    return spec.kind === 'parameter' ? parameterChannelMismatch(spec, value) : artifactChannelMismatch(spec, value);
  }
  if (spec.kind === 'artifact') {
    return {
      message: `expects ${artifactDescription(spec)}, got ${describeValue(value)}`,
      fix: 'pass an artifact output of a task, a pipeline artifact input, or an importer() output',
    };
  }
  if (isFormattedString(value)) {
    if (spec.type === 'STRING') return undefined;
    return { message: `expects ${parameterTypeLabel(spec.type)}, got a fmt\`…\` string`, fix: 'pass a value of that type' };
  }
  if (!valueMatchesParameterType(value, spec.type)) {
    return {
      message: `expects ${parameterTypeLabel(spec.type)}, got ${describeValue(value)}`,
      fix: `pass ${parameterTypeLabel(spec.type)} or a channel of that type`,
    };
  }
  return undefined;
}

const collectFix = 'collect() an output of a task inside a ParallelFor (or use loop.outputs.<name>)';

/** The channel a collection (through any number of loops) is made of; the channel itself otherwise. */
function collectedOrigin(channel: ParameterChannel | ArtifactChannel): ParameterChannel | ArtifactChannel {
  return channel.source.kind === 'collected' ? collectedOrigin(channel.source.of) : channel;
}

function collectsNonTaskOutput(channel: ParameterChannel | ArtifactChannel): boolean {
  return channel.source.kind === 'collected' && collectedOrigin(channel).source.kind !== 'taskOutput';
}

/** The pipeline body a channel belongs to, where it can be told. */
function ownerBody(channel: ParameterChannel | ArtifactChannel): PipelineBody | undefined {
  const source = channel.source;
  switch (source.kind) {
    case 'pipelineInput':
      return source.body;
    case 'taskOutput':
      return source.task.body;
    case 'collected':
      return ownerBody(source.of);
    case 'oneOf':
      return source.of[0] ? ownerBody(source.of[0]) : undefined;
    case 'loopItem':
      return undefined;
  }
}

/**
 * Struct fields of loop items, and items of lists declared without an item type, carry no type at
 * run time (the IR reads them out of JSON), so only `tsc` checks them.
 */
function hasUntypedValue(channel: ParameterChannel): boolean {
  const source = channel.source;
  if (source.kind !== 'loopItem') return false;
  if (source.field !== undefined) return true;
  const items = source.loop.items;
  return !Array.isArray(items) && (items as ParameterChannel).kind === 'parameter' && (items as ParameterChannel).itemType === undefined;
}

function parameterChannelMismatch(spec: ParameterSpec, channel: ParameterChannel | ArtifactChannel): Mismatch | undefined {
  if (channel.kind === 'parameter' && hasUntypedValue(channel)) return undefined;
  if (channel.kind === 'artifact') {
    return {
      message: `expects ${parameterTypeLabel(spec.type)}, got artifact ${channel.describe()} (${channel.artifactType.schemaTitle})`,
      fix: 'pass a parameter, or change the input to an artifact type',
    };
  }
  const accepted =
    channel.type === spec.type ||
    (spec.type === 'NUMBER_DOUBLE' && channel.type === 'NUMBER_INTEGER') ||
    (spec.type === 'STRUCT' && channel.type === 'TASK_FINAL_STATUS');
  if (accepted) return undefined;
  return {
    message: `expects ${parameterTypeLabel(spec.type)}, got ${parameterTypeLabel(channel.type)} from ${channel.describe()}`,
    fix: `pass ${parameterTypeLabel(spec.type)}, or convert the value in a component first`,
  };
}

function artifactChannelMismatch(spec: ArtifactSpec, channel: ParameterChannel | ArtifactChannel): Mismatch | undefined {
  if (channel.kind === 'parameter') {
    return {
      message: `expects ${artifactDescription(spec)}, got ${parameterTypeLabel(channel.type)} from ${channel.describe()}`,
      fix: 'pass an artifact output, or import a URI with importer()',
    };
  }
  const expected = spec.artifactType.schemaTitle;
  const given = channel.artifactType.schemaTitle;
  const titlesMatch = expected === given || expected === 'system.Artifact' || given === 'system.Artifact';
  if (titlesMatch && spec.isList === channel.isList) return undefined;
  return {
    message: `expects ${artifactDescription(spec)}, got ${channel.isList ? 'a list of ' : ''}${given} from ${channel.describe()}`,
    fix: titlesMatch ? 'pass a single artifact to a single input and a list to a list input' : `pass a ${expected} artifact`,
  };
}

const typeLabels: Record<ParameterTypeName, string> = {
  STRING: 'a string',
  NUMBER_INTEGER: 'an int',
  NUMBER_DOUBLE: 'a float',
  BOOLEAN: 'a bool',
  LIST: 'a list',
  STRUCT: 'a struct',
  TASK_FINAL_STATUS: 'a task final status (set by the compiler for exit tasks)',
};

function parameterTypeLabel(type: ParameterTypeName): string {
  return typeLabels[type];
}

function artifactDescription(spec: ArtifactSpec): string {
  return spec.isList ? `a list of ${spec.artifactType.schemaTitle} artifacts` : `a ${spec.artifactType.schemaTitle} artifact`;
}

/** Upstream tasks of a task within its body: data dependencies and `after()`. */
export function upstreamTasks(task: Task): Set<Task> {
  const upstream = new Set<Task>(task.settings.after);
  const add = (value: unknown) => {
    if (isChannel(value) && value.source.kind === 'taskOutput') upstream.add(value.source.task);
    if (isFormattedString(value)) value.channels.forEach(add);
  };
  Object.values(task.args).forEach(add);
  return upstream;
}

function reportCycles(body: PipelineBody, problems: PipelineProblem[]): void {
  const state = new Map<Task, 'visiting' | 'done'>();
  const stack: Task[] = [];
  const visit = (task: Task): void => {
    state.set(task, 'visiting');
    stack.push(task);
    for (const upstream of upstreamTasks(task)) {
      if (upstream.body !== body) continue;
      const seen = state.get(upstream);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(upstream)), upstream].map((t) => t.name);
        problems.push({
          path: upstream.path,
          location: upstream.callSite.location,
          message: `dependency cycle: ${cycle.join(' => ')}`,
          fix: 'remove an after() call or a data dependency so the tasks can run in order',
        });
      } else if (seen === undefined) {
        visit(upstream);
      }
    }
    stack.pop();
    state.set(task, 'done');
  };
  for (const task of body.tasks) if (!state.has(task)) visit(task);
}
