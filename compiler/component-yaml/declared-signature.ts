/**
 * A typed wrapper declares the signature `tsc` checks calls against; this checks that it says what
 * the component text says, so that a hand-edited or stale wrapper fails when it loads instead of
 * letting `tsc` approve calls the compiler will reject.
 */
import { asSpec, isIoSpecLike, type IoSpec, type IoSpecs } from '../dsl/types';
import { sortKeys } from '../util/sort-keys';
import { ComponentLoadError } from './component-load-error';

export interface DeclaredSignature {
  readonly inputs: IoSpecs;
  readonly outputs: IoSpecs;
}

export function checkDeclaredSignature(
  loaded: { readonly inputs: Readonly<Record<string, IoSpec>>; readonly outputs: Readonly<Record<string, IoSpec>> },
  declared: DeclaredSignature,
  source: string,
): void {
  const differences = [
    ...differencesOf('input', loaded.inputs, declared.inputs ?? {}),
    ...differencesOf('output', loaded.outputs, declared.outputs ?? {}),
  ];
  if (differences.length === 0) return;
  throw new ComponentLoadError(
    source,
    `the declared signature does not match the component: ${differences.join('; ')}`,
    'regenerate the typed wrapper with `kfp-ts types` (or correct the inputs and outputs passed to the loader)',
  );
}

function differencesOf(side: string, loaded: Readonly<Record<string, IoSpec>>, declared: IoSpecs): string[] {
  const differences: string[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    if (!isIoSpecLike(spec)) {
      differences.push(`${side} '${name}' is declared with something that is not a type`);
    } else if (!(name in loaded)) {
      differences.push(`${side} '${name}' is declared but the component has no such ${side}`);
    } else {
      const want = describeSpec(loaded[name]!);
      const got = describeSpec(asSpec(spec));
      if (want !== got) differences.push(`${side} '${name}' is ${want} in the component but declared as ${got}`);
    }
  }
  for (const name of Object.keys(loaded)) {
    if (!(name in declared)) differences.push(`the component's ${side} '${name}' is not declared`);
  }
  return differences;
}

/** The facts callers and the IR depend on, as text (descriptions left out: they are documentation). */
export function describeSpec(spec: IoSpec): string {
  if (spec.kind === 'artifact') {
    const type = `${spec.artifactType.schemaTitle}@${spec.artifactType.schemaVersion}`;
    return `${spec.isOptional ? 'an optional ' : 'a '}${spec.isList ? `list of ${type} artifacts` : `${type} artifact`}`;
  }
  const facts = [spec.isOptional ? 'optional' : 'required'];
  if (spec.irOptional !== spec.isOptional) facts.push(spec.irOptional ? 'isOptional in the IR' : 'not isOptional in the IR');
  if (spec.defaultValue !== undefined) facts.push(`default ${JSON.stringify(sortKeys(spec.defaultValue))}`);
  return `a ${spec.type} parameter (${facts.join(', ')})`;
}
