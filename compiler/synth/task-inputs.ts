import { isChannel, type ArtifactChannel, type ParameterChannel } from '../dsl/channels';
import { isFormattedString } from '../dsl/formatted-string';
import type { IrTaskArtifactInput, IrTaskInputs, IrTaskParameterInput, IrValue } from '../ir/pipeline-spec';

/** The name under which a channel is threaded into a task that embeds it in text. */
export function pipelineChannelName(channel: ParameterChannel | ArtifactChannel): string {
  const source = channel.source;
  return source.kind === 'pipelineInput'
    ? `pipelinechannel--${source.name}`
    : `pipelinechannel--${source.task.name}-${source.output}`;
}

/** Collects a task's `inputs` and the tasks its data comes from. */
export class TaskInputsBuilder {
  private readonly parameters: Record<string, IrTaskParameterInput> = {};
  private readonly artifacts: Record<string, IrTaskArtifactInput> = {};
  /** Producer task names whose outputs this task reads. */
  readonly producers = new Set<string>();

  /** Wires one argument: a literal, a channel or a fmt`…` string. */
  argument(name: string, value: unknown): void {
    if (isChannel(value)) {
      if (value.kind === 'artifact') this.artifacts[name] = artifactReference(value);
      else this.parameters[name] = parameterReference(value);
      if (value.source.kind === 'taskOutput') this.producers.add(value.source.task.name);
    } else if (isFormattedString(value)) {
      const text = value.parts.map((part) => (typeof part === 'string' ? part : this.embed(part))).join('');
      this.parameters[name] = { runtimeValue: { constant: text } };
      for (const channel of value.channels) {
        if (channel.source.kind === 'taskOutput') this.producers.add(channel.source.task.name);
      }
    } else {
      this.parameters[name] = { runtimeValue: { constant: value as IrValue } };
    }
  }

  /**
   * Threads a parameter channel in as `pipelinechannel--…` and returns the placeholder that reads it,
   * for values written into text (fmt strings, resource settings, importer metadata).
   */
  embed(channel: ParameterChannel): string {
    const name = pipelineChannelName(channel);
    this.parameters[name] = parameterReference(channel);
    return `{{$.inputs.parameters['${name}']}}`;
  }

  /** Sets a constant input directly (e.g. the resource inputs the reference adds). */
  constant(name: string, value: IrValue): void {
    this.parameters[name] = { runtimeValue: { constant: value } };
  }

  build(): IrTaskInputs | undefined {
    const inputs: IrTaskInputs = {
      ...(Object.keys(this.artifacts).length ? { artifacts: this.artifacts } : {}),
      ...(Object.keys(this.parameters).length ? { parameters: this.parameters } : {}),
    };
    return Object.keys(inputs).length ? inputs : undefined;
  }
}

function parameterReference(channel: ParameterChannel): IrTaskParameterInput {
  const source = channel.source;
  return source.kind === 'pipelineInput'
    ? { componentInputParameter: source.name }
    : { taskOutputParameter: { producerTask: source.task.name, outputParameterKey: source.output } };
}

function artifactReference(channel: ArtifactChannel): IrTaskArtifactInput {
  const source = channel.source;
  return source.kind === 'pipelineInput'
    ? { componentInputArtifact: source.name }
    : { taskOutputArtifact: { producerTask: source.task.name, outputArtifactKey: source.output } };
}
