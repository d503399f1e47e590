import { readFileSync } from 'node:fs';
import type { IrParameterType, IrValue } from '../../compiler/ir/pipeline-spec';
import type { ExecutorInput, RuntimeArtifact } from '../../compiler/ir/executor-protocol';
import { copyArtifact } from './executor-input';
import { readExecutorOutput, type ExecutorOutputArtifact } from './read-executor-output';
import { OutputError, type OutputProblem } from './output-error';

export { OutputError, type OutputProblem } from './output-error';

export interface CollectedOutputs {
  parameters: Record<string, IrValue>;
  /** Every provisioned output artifact, merged with what the ExecutorOutput says about it. */
  artifacts: Record<string, RuntimeArtifact[]>;
}

/**
 * A finished task's outputs, read from the ExecutorOutput file and the per-parameter output files
 * (`ExecutorOutput` in kubeflow/pipelines api/v2alpha1/pipeline_spec.proto). Parameters: the ExecutorOutput file wins
 * (the proto and the KFP backend; kfp.local does the reverse), per-parameter files are read only
 * for names it lacks, and parsed by the declared type. Artifacts: the provisioned ones, with the
 * backend's merge of the ExecutorOutput. Every problem is reported at once in one OutputError.
 */
export function collectOutputs(options: {
  executorInput: ExecutorInput;
  outputParameterTypes: Record<string, IrParameterType>;
  taskPath: string;
}): CollectedOutputs {
  const { executorInput, outputParameterTypes, taskPath } = options;
  const outputFile = executorInput.outputs.outputFile;
  const executorOutput = readExecutorOutput(outputFile, taskPath);
  const problems: OutputProblem[] = [];

  const parameters: Record<string, IrValue> = {};
  for (const [name, type] of Object.entries(outputParameterTypes)) {
    if (executorOutput.parameterValues && Object.hasOwn(executorOutput.parameterValues, name)) {
      parameters[name] = executorOutput.parameterValues[name]!;
      continue;
    }
    const file = own(executorInput.outputs.parameters, name)?.outputFile;
    const result = file === undefined ? undefined : readParameterFile(file, type);
    if (result === undefined || 'missing' in result) {
      problems.push({
        output: name,
        file: file ?? '(none provisioned)',
        message:
          `output parameter '${name}' (${type}) was not written: expected the file ${file ?? '(none provisioned)'}` +
          ` or a parameterValues entry in ${outputFile}`,
        fix: `write the value to the file given by {{$.outputs.parameters['${name}'].output_file}}`,
      });
    } else if ('invalid' in result) {
      problems.push({
        output: name,
        file: file!,
        message: `output parameter '${name}' in ${file} is not a valid ${type}: ${result.invalid}`,
        fix: describeFormat(type),
      });
    } else {
      parameters[name] = result.value;
    }
  }
  if (problems.length > 0) throw new OutputError(taskPath, problems);

  const artifacts: Record<string, RuntimeArtifact[]> = {};
  for (const [name, provisioned] of Object.entries(executorInput.outputs.artifacts)) {
    const reported = own(executorOutput.artifacts ?? {}, name) ?? [];
    artifacts[name] = provisioned.artifacts.map((artifact, index) => mergeArtifact(artifact, reported[index]));
  }
  return { parameters, artifacts };
}

/**
 * The backend's merge: a non-empty `uri` replaces the provisioned one, metadata keys are merged
 * with the output winning per key, and a non-empty `customPath` replaces it. Reported artifacts
 * beyond the provisioned ones are ignored (the backend reads only the first).
 */
function mergeArtifact(provisioned: RuntimeArtifact, reported: ExecutorOutputArtifact | undefined): RuntimeArtifact {
  const merged = copyArtifact(provisioned);
  if (!reported) return merged;
  if (reported.uri) merged.uri = reported.uri;
  if (reported.metadata) merged.metadata = { ...merged.metadata, ...structuredClone(reported.metadata) };
  if (reported.customPath) merged.customPath = reported.customPath;
  return merged;
}

type ParameterFileResult = { value: IrValue } | { missing: true } | { invalid: string };

function readParameterFile(file: string, type: IrParameterType): ParameterFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { invalid: `cannot read it (${(error as Error).message})` };
  }
  return parseParameterText(text, type);
}

/**
 * STRING is the raw text (a trailing newline included, as in the backend). Other types are
 * JSON, surrounding whitespace ignored so `echo 3 > file` works; BOOLEAN also accepts what Go's
 * `strconv.ParseBool` accepts (`1`, `t`, `True`, …), as the backend does.
 */
export function parseParameterText(text: string, type: IrParameterType): ParameterFileResult {
  if (type === 'STRING') return { value: text };
  const trimmed = text.trim();
  if (type === 'BOOLEAN') {
    if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(trimmed)) return { value: true };
    if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(trimmed)) return { value: false };
    return { invalid: `${JSON.stringify(abbreviate(trimmed))} is not true or false` };
  }
  let value: IrValue;
  try {
    value = JSON.parse(trimmed) as IrValue;
  } catch {
    return { invalid: `${JSON.stringify(abbreviate(trimmed))} is not JSON` };
  }
  const mismatch = typeMismatch(value, type);
  return mismatch ? { invalid: mismatch } : { value };
}

function typeMismatch(value: IrValue, type: IrParameterType): string | undefined {
  const shown = JSON.stringify(abbreviate(JSON.stringify(value)));
  switch (type) {
    case 'NUMBER_INTEGER':
      return typeof value === 'number' && Number.isInteger(value) ? undefined : `${shown} is not an integer`;
    case 'NUMBER_DOUBLE':
      return typeof value === 'number' ? undefined : `${shown} is not a number`;
    case 'LIST':
      return Array.isArray(value) ? undefined : `${shown} is not a JSON list`;
    case 'STRUCT':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : `${shown} is not a JSON object`;
    default:
      return undefined;
  }
}

function describeFormat(type: IrParameterType): string {
  switch (type) {
    case 'BOOLEAN':
      return 'write true or false';
    case 'NUMBER_INTEGER':
      return 'write an integer such as 3';
    case 'NUMBER_DOUBLE':
      return 'write a number such as 0.5';
    case 'LIST':
      return 'write a JSON list such as ["a", "b"]';
    case 'STRUCT':
      return 'write a JSON object such as {"k": 1}';
    default:
      return 'write JSON';
  }
}

/** A map entry, ignoring inherited names such as `constructor` (output names are user text). */
function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
