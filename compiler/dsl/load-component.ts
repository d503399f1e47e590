import { ComponentLoadError } from '../component-yaml/component-load-error';
import { checkDeclaredSignature } from '../component-yaml/declared-signature';
import { parseComponentText } from '../component-yaml/parse-component-text';
import { fileTooLargeMessage, readTextWithin } from '../util/document-limits';
import { makeComponent, type Component } from './component';
import { CallSite } from './source-location';
import type { IoSpecs } from './types';

export { ComponentLoadError };

/** The signature a caller expects of a component file, which `tsc` then checks calls against. */
export interface ComponentSignature<I extends IoSpecs, O extends IoSpecs> {
  readonly inputs: I;
  readonly outputs: O;
}

export interface TypedLoadOptions<I extends IoSpecs, O extends IoSpecs> extends ComponentSignature<I, O> {
  /** The file the text came from, named in errors (a basename keeps builds independent of paths). @default '<component text>' */
  readonly source?: string;
}

/**
 * Loads a component from a KFP v1 component YAML file or a compiled IR file (YAML or JSON, e.g. a
 * component or pipeline compiled by the KFP Python SDK). Every problem with the file is a
 * ComponentLoadError naming it. Without a signature the task's arguments are checked only when the
 * pipeline compiles; with one (`{ inputs: { n: t.int() }, outputs: { model: Model } }`), `tsc`
 * checks them and loading checks the signature against the file. `kfp-ts types` writes a typed
 * wrapper that embeds the text, so that compiling does not depend on the working directory.
 */
export function loadComponentFromFile<I extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs>(file: string): Component<I, O>;
export function loadComponentFromFile<I extends IoSpecs, O extends IoSpecs>(
  file: string,
  signature: ComponentSignature<I, O>,
): Component<I, O>;
export function loadComponentFromFile(file: string, signature?: ComponentSignature<IoSpecs, IoSpecs>): Component {
  let text: string | undefined;
  try {
    text = readTextWithin(file);
  } catch (error) {
    throw new ComponentLoadError(
      file,
      `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      `check the path (a relative one resolves against the working directory, ${process.cwd()}), or embed the component with \`kfp-ts types\``,
    );
  }
  if (text === undefined)
    throw new ComponentLoadError(file, fileTooLargeMessage(), 'load the component file itself (KFP v1 component YAML or compiled IR)');
  return signature ? loadComponentFromText(text, { ...signature, source: file }) : loadComponentFromText(text, file);
}

/** Loads a component from its text; see {@link loadComponentFromFile}. */
export function loadComponentFromText<I extends IoSpecs = IoSpecs, O extends IoSpecs = IoSpecs>(
  text: string,
  source?: string,
): Component<I, O>;
export function loadComponentFromText<I extends IoSpecs, O extends IoSpecs>(text: string, options: TypedLoadOptions<I, O>): Component<I, O>;
export function loadComponentFromText(text: string, sourceOrOptions?: string | TypedLoadOptions<IoSpecs, IoSpecs>): Component {
  const callSite = new CallSite();
  const options = typeof sourceOrOptions === 'object' ? sourceOrOptions : undefined;
  const source = (typeof sourceOrOptions === 'string' ? sourceOrOptions : options?.source) ?? '<component text>';
  const parsed = parseComponentText(text, source);
  if (options) checkDeclaredSignature(parsed, options, source);
  return makeComponent({
    name: parsed.name,
    ...(parsed.description !== undefined ? { description: parsed.description } : {}),
    inputs: parsed.inputs,
    outputs: parsed.outputs,
    implementation: parsed.implementation,
    callSite,
  });
}
