import type { ExecutorInput } from '../../compiler/ir/executor-protocol';
import { PlaceholderError, resolvePlaceholdersInText, type RuntimeValues } from './placeholder-text';

export { PlaceholderError, type RuntimeValues } from './placeholder-text';

/**
 * A container's IR `command`/`args` turned into the argv it runs with, by the algorithm of
 * kfp.local's order (sdk/python/kfp/local/placeholder_utils.py) and the KFP backend launcher's
 * value formatting (backend/src/v2/component/launcher_v2.go):
 * self-referencing parameter values first, then Concat/IfPresent (lists spliced, absent items
 * dropped), then every `{{$…}}` placeholder. Anything that cannot be resolved throws a
 * PlaceholderError naming the task path and the placeholder.
 */
export function resolveCommandLine(
  items: readonly string[],
  input: ExecutorInput,
  runtime: RuntimeValues,
  context: { taskPath: string },
): string[] {
  const resolvedInput = resolveSelfReferences(input, runtime, context);
  const expand = new StructExpander(resolvedInput, runtime, context.taskPath);
  return items.flatMap((item) => expand.item(item, item));
}

/**
 * A parameter value with its placeholders resolved first, as kfp.local does (an f-string argument compiled to
 * `{{$.inputs.parameters['pipelinechannel--…']}}-bar`) and run-time constants or defaults such as
 * `{{$.pipeline_job_name}}` or GCPC's `{{$.pipeline_google_cloud_project_id}}`. Strings inside
 * lists and structs are resolved too, because the compiler writes channels used inside a list or
 * dict argument the same way; passing a whole name → value map therefore also works. The result
 * has the shape of the value given (strings stay strings).
 */
export function resolveParameterPlaceholders<T>(
  value: T,
  input: ExecutorInput,
  runtime: RuntimeValues,
  context: { taskPath: string } = { taskPath: runtime.taskName },
): T {
  return resolveJson(value, (text) => resolvePlaceholdersInText(text, input, runtime, context.taskPath)) as T;
}

function resolveJson(value: unknown, resolveText: (text: string) => string): unknown {
  if (typeof value === 'string') return resolveText(value);
  if (Array.isArray(value)) return value.map((item) => resolveJson(item, resolveText));
  if (value !== null && typeof value === 'object') {
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) resolved[key] = resolveJson(item, resolveText);
    return resolved;
  }
  return value;
}

/**
 * The ExecutorInput with its self-referencing parameter values resolved, so `{{$}}` shows the same values as the keyed
 * placeholders. One pass against the original values, as kfp.local does.
 */
export function resolveSelfReferences(input: ExecutorInput, runtime: RuntimeValues, context: { taskPath: string }): ExecutorInput {
  const values = input.inputs.parameterValues;
  // Most tasks have no such values; keep their ExecutorInput (and its `{{$}}` text) untouched.
  if (!JSON.stringify(values).includes('{{$')) return input;
  const parameterValues = resolveParameterPlaceholders(values, input, runtime, context);
  return { ...input, inputs: { ...input.inputs, parameterValues } };
}

/** kfp.local's presence rule: a parameter that is not null, or an artifact input whose key exists. */
function isInputPresent(name: string, input: ExecutorInput): boolean {
  const { parameterValues, artifacts } = input.inputs;
  const hasValue = Object.hasOwn(parameterValues, name) && parameterValues[name] != null;
  return hasValue || Object.hasOwn(artifacts, name);
}

/** kfp.local recognises struct placeholders by these prefixes; whitespace is tolerated here. */
const STRUCT_PLACEHOLDER = /^\{\s*"(?:Concat|IfPresent)"\s*:/;

class StructExpander {
  constructor(
    private readonly input: ExecutorInput,
    private readonly runtime: RuntimeValues,
    private readonly taskPath: string,
  ) {}

  /** The argv elements one item stands for: none (absent IfPresent), one, or several (a spliced list). */
  item(item: unknown, source: string): string[] {
    if (typeof item === 'string') {
      if (STRUCT_PLACEHOLDER.test(item)) return this.struct(this.parse(item), item);
      return [resolvePlaceholdersInText(item, this.input, this.runtime, this.taskPath)];
    }
    if (item === undefined || item === null) return [];
    if (Array.isArray(item)) return item.flatMap((element) => this.item(element, source));
    if (typeof item === 'object') return this.struct(item as Record<string, unknown>, source);
    return this.fail(source, `a struct placeholder holds ${JSON.stringify(item)}, where a string, a list or a placeholder was expected`);
  }

  private struct(value: Record<string, unknown>, source: string): string[] {
    const keys = Object.keys(value);
    if (keys.length !== 1 || (keys[0] !== 'Concat' && keys[0] !== 'IfPresent')) {
      return this.fail(source, `expected {"Concat": [...]} or {"IfPresent": {...}}, found keys ${JSON.stringify(keys)}`);
    }
    return keys[0] === 'Concat' ? this.concat(value.Concat, source) : this.ifPresent(value.IfPresent, source);
  }

  private concat(parts: unknown, source: string): string[] {
    if (!Array.isArray(parts)) return this.fail(source, 'Concat takes a list');
    const pieces = parts.map((part) => {
      const resolved = this.item(part, source);
      if (resolved.length > 1) {
        return this.fail(
          source,
          `a Concat item gives ${resolved.length} elements; an IfPresent inside Concat must have single-element branches`,
        );
      }
      return resolved[0] ?? '';
    });
    return [pieces.join('')];
  }

  private ifPresent(body: unknown, source: string): string[] {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return this.fail(source, 'IfPresent takes an object');
    const { InputName: inputName, Then: then, Else: otherwise } = body as Record<string, unknown>;
    if (typeof inputName !== 'string') return this.fail(source, 'IfPresent needs an "InputName" string');
    return this.item(isInputPresent(inputName, this.input) ? then : otherwise, source);
  }

  private parse(text: string): Record<string, unknown> {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    return this.fail(text, 'it starts like a Concat/IfPresent placeholder but is not a JSON object');
  }

  private fail(source: string, reason: string): never {
    throw new PlaceholderError(this.taskPath, source, reason);
  }
}
