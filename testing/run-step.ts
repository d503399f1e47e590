import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FunctionComponent, FunctionInputs } from '../compiler/dsl/function-component';
import { executeFunctionComponent } from '../compiler/dsl/function-executor';
import type { ExecutorInput, RuntimeArtifact } from '../compiler/ir/executor-protocol';
import type { IrValue } from '../compiler/ir/pipeline-spec';
import type { IoSpecs } from '../compiler/dsl/types';

/** An output artifact a step wrote, as a test sees it. */
export interface StepArtifact {
  readonly uri: string;
  readonly path: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface StepResult {
  /** The output parameters the implementation returned. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly artifacts: Readonly<Record<string, StepArtifact>>;
  /** The folder the outputs were written to (removed by the caller, or left for inspection). */
  readonly folder: string;
}

/** An input artifact given to `runStep`: a file or folder on this machine, with optional metadata. */
export interface StepInputArtifact {
  readonly path: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

type StepArguments<I extends IoSpecs> = {
  readonly [K in keyof I]?: FunctionInputs<I>[K] extends { readonly path: string } | undefined
    ? StepInputArtifact
    : FunctionInputs<I>[K] extends readonly { readonly path: string }[]
      ? readonly StepInputArtifact[]
      : FunctionInputs<I>[K];
};

/**
 * Runs a function component's implementation as its container would, through the same executor
 * (defaults filled in, output folders made, returned values checked against the declaration), with
 * outputs in a fresh temporary folder: for unit tests of a step, no pipeline or runner involved.
 */
export async function runStep<I extends IoSpecs, O extends IoSpecs>(
  component: FunctionComponent<I, O>,
  args: StepArguments<I>,
  options: { readonly folder?: string } = {},
): Promise<StepResult> {
  const folder = options.folder ?? fs.mkdtempSync(path.join(os.tmpdir(), `kfp-ts-step-${component.definition.name}-`));
  const parameterValues: Record<string, IrValue> = {};
  const inputArtifacts: Record<string, { artifacts: RuntimeArtifact[] }> = {};
  for (const [name, spec] of Object.entries(component.definition.inputs)) {
    const value = (args as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (spec.kind === 'parameter') parameterValues[name] = value as IrValue;
    else {
      const list = (Array.isArray(value) ? value : [value]) as StepInputArtifact[];
      inputArtifacts[name] = {
        artifacts: list.map((item) => ({ uri: item.path, metadata: { ...(item.metadata ?? {}) } as Record<string, IrValue> })),
      };
    }
  }
  const outputArtifacts: Record<string, { artifacts: RuntimeArtifact[] }> = {};
  for (const [name, spec] of Object.entries(component.definition.outputs)) {
    if (spec.kind === 'artifact') outputArtifacts[name] = { artifacts: [{ name, uri: path.join(folder, name), metadata: {} }] };
  }
  const input: ExecutorInput = {
    inputs: { parameterValues, artifacts: inputArtifacts },
    outputs: { parameters: {}, artifacts: outputArtifacts, outputFile: path.join(folder, 'executor_output.json') },
  };
  const output = await executeFunctionComponent(component as unknown as FunctionComponent, input);
  const artifacts: Record<string, StepArtifact> = {};
  for (const [name, list] of Object.entries(output.artifacts ?? {})) {
    const artifact = list.artifacts[0]!;
    artifacts[name] = { uri: artifact.uri ?? '', path: path.join(folder, name), metadata: artifact.metadata ?? {} };
  }
  return { parameters: output.parameterValues ?? {}, artifacts, folder };
}
