import { isChannel, type ArtifactChannel, type ParameterChannel } from '../dsl/channels';
import { isFormattedString } from '../dsl/formatted-string';
import type { Task } from '../dsl/task';
import type { IrTaskArtifactInput, IrTaskInputs, IrTaskParameterInput, IrValue } from '../ir/pipeline-spec';
import type { FlowChannel, FlowChannels } from './flow-channels';
import { artifactsAndParameters } from './io-definitions';

/** What a task's inputs can refer to in the DAG it sits in. */
export interface DagScope {
  /** Whether the DAG is the pipeline's root (pipeline inputs keep their own names there). */
  readonly isRoot: boolean;
  /** Tasks and groups of this DAG: outputs of these are read directly, others are threaded in. */
  readonly siblings: ReadonlySet<string>;
  /** The DAG component's own input names. */
  readonly inputNames: ReadonlySet<string>;
}

/** Builds a task's `inputs`, resolving each channel as the reference does for the DAG it is in. */
export class TaskInputsBuilder {
  private readonly parameters: Record<string, IrTaskParameterInput> = {};
  private readonly artifacts: Record<string, IrTaskArtifactInput> = {};

  constructor(
    private readonly scope: DagScope,
    private readonly flow: FlowChannels,
    /** The task whose inputs these are: a collection is surfaced for each consumer. */
    private readonly consumer: Task,
  ) {}

  /** Wires one argument: a literal, a channel or a fmt`…` string. */
  argument(name: string, value: unknown): void {
    if (isChannel(value)) {
      const channel = this.flow.of(value as ParameterChannel | ArtifactChannel, this.consumer);
      if (channel.kind === 'artifact') this.artifacts[name] = this.artifactReference(channel);
      else this.parameters[name] = this.parameterReference(channel);
    } else if (isFormattedString(value)) {
      const text = value.parts.map((part) => (typeof part === 'string' ? part : this.embed(part))).join('');
      this.parameters[name] = { runtimeValue: { constant: text } };
    } else {
      this.parameters[name] = { runtimeValue: { constant: value as IrValue } };
    }
  }

  /**
   * Threads a parameter channel in as `pipelinechannel--…` and returns the placeholder that reads it,
   * for values written into text (fmt strings, resource settings, importer metadata).
   */
  embed(value: ParameterChannel): string {
    const channel = this.flow.of(value, this.consumer);
    const name = channel.pipelineChannelName;
    this.parameters[name] = this.parameterReference(channel);
    return `{{$.inputs.parameters['${name}']}}`;
  }

  constant(name: string, value: IrValue): void {
    this.parameters[name] = { runtimeValue: { constant: value } };
  }

  /** Sets an input directly (task final status). */
  set(name: string, input: IrTaskParameterInput): void {
    this.parameters[name] = input;
  }

  build(): IrTaskInputs | undefined {
    return artifactsAndParameters(this.artifacts, this.parameters);
  }

  private parameterReference(channel: FlowChannel): IrTaskParameterInput {
    const role = channel.role;
    if (role.kind === 'loopArgument') return { componentInputParameter: channel.pipelineChannelName };
    if (role.kind === 'subvar') {
      // A group that was handed the field alone (not the whole item) passes it on as it is.
      if (!this.scope.inputNames.has(role.of.pipelineChannelName) && this.scope.inputNames.has(channel.pipelineChannelName)) {
        return { componentInputParameter: channel.pipelineChannelName };
      }
      return { componentInputParameter: role.of.pipelineChannelName, parameterExpressionSelector: subvarSelector(role.key) };
    }
    if (channel.taskName !== undefined) {
      return this.scope.siblings.has(channel.taskName)
        ? { taskOutputParameter: { producerTask: channel.taskName, outputParameterKey: channel.name } }
        : { componentInputParameter: channel.pipelineChannelName };
    }
    return { componentInputParameter: this.scope.inputNames.has(channel.fullName) ? channel.fullName : channel.pipelineChannelName };
  }

  private artifactReference(channel: FlowChannel): IrTaskArtifactInput {
    if (channel.role.kind === 'loopArgument') return { componentInputArtifact: channel.pipelineChannelName };
    if (channel.taskName !== undefined) {
      return this.scope.siblings.has(channel.taskName)
        ? { taskOutputArtifact: { producerTask: channel.taskName, outputArtifactKey: channel.name } }
        : { componentInputArtifact: channel.pipelineChannelName };
    }
    return { componentInputArtifact: this.scope.inputNames.has(channel.fullName) ? channel.fullName : channel.pipelineChannelName };
  }
}

export function subvarSelector(key: string): string {
  return `parseJson(string_value)["${key}"]`;
}
