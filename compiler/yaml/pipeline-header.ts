/**
 * The `# PIPELINE DEFINITION` comment the KFP SDK writes above every compiled pipeline
 * (`extract_comments_from_pipeline_spec` in `kfp/compiler/pipeline_spec_builder.py`).
 *
 * It summarises the pipeline's name, description and root inputs/outputs. Its text is built by Python string
 * operations rather than by YAML, so it follows Python's rules: `str.splitlines()` for the description, `sorted()`
 * by name for the signature, `str()` of the `MessageToDict` value for defaults (so numbers are floats and lists and
 * dicts use Python's repr), and non-ASCII text is written as is, unlike in the YAML body.
 */

import { compareCodePoints, pythonValueRepr } from './python-repr';

/** kfp `type_utils.IR_TYPE_TO_COMMENT_TYPE_STRING`: IR parameter types as the Python annotations users wrote. */
const COMMENT_TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ['STRING', 'str'],
  ['NUMBER_INTEGER', 'int'],
  ['NUMBER_DOUBLE', 'float'],
  ['LIST', 'list'],
  ['STRUCT', 'dict'],
  ['BOOLEAN', 'bool'],
  ['TASK_FINAL_STATUS', 'PipelineTaskFinalStatus'],
  ['TASK_CONFIG', 'TaskConfig'],
]);

const DESCRIPTION_CONTINUATION = `\n#${' '.repeat(14)}`;

// The separators Python's str.splitlines() splits on.
// biome-ignore lint/suspicious/noControlCharactersInRegex: \x1c-\x1e are among them
const PYTHON_LINE_SEPARATOR = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

export interface PipelineHeaderSpec {
  readonly pipelineInfo?: { readonly name?: string; readonly description?: string };
  readonly root?: {
    readonly inputDefinitions?: SignatureSpec;
    readonly outputDefinitions?: SignatureSpec;
  };
}

interface SignatureSpec {
  readonly parameters?: Readonly<Record<string, { readonly parameterType?: string; readonly defaultValue?: unknown }>>;
  readonly artifacts?: Readonly<Record<string, { readonly artifactType?: { readonly schemaTitle?: string } }>>;
}

export interface PipelineHeaderOptions {
  /**
   * The description the SDK passes in: the pipeline's or component's docstring/description. For pipelines it equals
   * `pipelineInfo.description`, which is the default; a component compiled as a pipeline has no
   * `pipelineInfo.description` but still gets its docstring here.
   */
  readonly description?: string;
}

/** Python's `str.splitlines()`: no empty last line for a trailing separator. */
export function pythonSplitLines(text: string): string[] {
  const lines = text.split(PYTHON_LINE_SEPARATOR);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function pipelineHeaderComment(spec: PipelineHeaderSpec, options: PipelineHeaderOptions = {}): string {
  const name = spec.pipelineInfo?.name;
  if (name === undefined) throw new Error('pipelineInfo.name is required for the pipeline header comment');
  const lines = ['# PIPELINE DEFINITION', `# Name: ${name}`];

  const description = options.description ?? spec.pipelineInfo?.description;
  if (description) {
    lines.push(`# Description: ${pythonSplitLines(description).join(DESCRIPTION_CONTINUATION)}`);
  }
  if (spec.root?.inputDefinitions !== undefined) {
    lines.push('# Inputs:', ...signatureLines(spec.root.inputDefinitions));
  }
  if (spec.root?.outputDefinitions !== undefined) {
    lines.push('# Outputs:', ...signatureLines(spec.root.outputDefinitions));
  }
  return `${lines.join('\n')}\n`;
}

interface SignatureEntry {
  readonly name: string;
  readonly typeName: string;
  readonly defaultText?: string;
}

function signatureLines(signature: SignatureSpec): string[] {
  const entries: SignatureEntry[] = [];
  for (const [name, parameter] of Object.entries(signature.parameters ?? {})) {
    const typeName = COMMENT_TYPE_NAMES.get(parameter.parameterType ?? '');
    if (typeName === undefined) {
      throw new Error(`parameter ${name} has no known parameterType (${String(parameter.parameterType)})`);
    }
    // `undefined` means absent, as the emitter treats it; a protobuf null default is `null` and prints `None`.
    entries.push(
      parameter.defaultValue === undefined ? { name, typeName } : { name, typeName, defaultText: defaultValueText(parameter.defaultValue) },
    );
  }
  for (const [name, artifact] of Object.entries(signature.artifacts ?? {})) {
    // Only the schema title: no version, and a list of artifacts looks like a single one.
    entries.push({ name, typeName: artifact.artifactType?.schemaTitle ?? '' });
  }
  // Array.prototype.sort is stable, as Python's sorted() is.
  entries.sort((a, b) => compareCodePoints(a.name, b.name));
  return entries.map(
    ({ name, typeName, defaultText }) => `#    ${name}: ${typeName}${defaultText === undefined ? '' : ` [Default: ${defaultText}]`}`,
  );
}

/** A top-level string default is wrapped in quotes without escaping; everything else is Python's `str()`. */
function defaultValueText(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : pythonValueRepr(value);
}
