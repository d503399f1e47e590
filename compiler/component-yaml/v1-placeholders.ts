/**
 * KFP v1 command-line placeholders (`{inputValue: x}`, `{outputPath: y}`, `{if: …}`, `{concat: …}`)
 * converted to kfp-ts placeholders, which write the KFP v2 text the reference SDK writes for them.
 * Each is checked against the component's inputs and outputs here, at load time: the reference
 * checks names when it loads the file but pairings (an `inputValue` of an artifact input) only when
 * a task is made, and a wrong pairing can never work at run time.
 */
import {
  StructuredPlaceholder,
  concat,
  executorInput,
  inputArtifact,
  inputValue,
  outputArtifact,
  outputParameter,
  type CommandItem,
  type Placeholder,
} from '../dsl/placeholders';
import type { IoSpec } from '../dsl/types';
import { ComponentLoadError } from './component-load-error';
import { sanitizeV1Name } from './v1-names';

export interface V1Declaration {
  readonly name: string;
  /** `type Integer`, `no type`, … */
  readonly type: string;
}

export interface V1PlaceholderContext {
  readonly source: string;
  /** Inputs and outputs by sanitized name. */
  readonly inputs: Readonly<Record<string, IoSpec>>;
  readonly outputs: Readonly<Record<string, IoSpec>>;
  /** By sanitized name: how each input and output was declared (its name and `type: …`), for messages. */
  readonly declared: {
    readonly inputs: Readonly<Record<string, V1Declaration>>;
    readonly outputs: Readonly<Record<string, V1Declaration>>;
  };
  readonly lineOf: (value: unknown) => number | undefined;
}

const supported =
  'inputValue, inputPath, inputUri, outputPath, outputUri, executorInput, concat, if (with cond: {isPresent: NAME}) or ifPresent';

/**
 * Converts one item of `command` or `args`; `where` names it for messages (`args[2]`), and `list` is
 * the list it is in, whose line messages give for items (numbers, say) that have no line of their own.
 */
export function convertV1Item(item: unknown, where: string, list: unknown, context: V1PlaceholderContext): CommandItem {
  return new V1ItemConverter(context, list).item(item, where, false);
}

class V1ItemConverter {
  constructor(
    private readonly context: V1PlaceholderContext,
    private readonly list: unknown,
  ) {}

  item(item: unknown, where: string, insideConcat: boolean): CommandItem {
    if (typeof item === 'string') return item;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      const shown = JSON.stringify(item);
      return this.fail(
        item,
        `${where} is ${shown}, not a string or a placeholder`,
        `quote it ('${String(item)}') or write a placeholder such as {inputValue: NAME}`,
      );
    }
    const keys = Object.keys(item);
    if (keys.length !== 1) {
      return this.fail(
        item,
        `${where} is a placeholder with keys ${keys.join(', ') || '(none)'}; a placeholder has exactly one key`,
        `use one of: ${supported}`,
      );
    }
    const kind = keys[0]!;
    const value = (item as Record<string, unknown>)[kind];
    switch (kind) {
      case 'inputValue':
        return this.inputValue(item, value, where);
      case 'inputPath':
      case 'inputUri':
        return this.inputArtifact(item, value, kind, where);
      case 'outputPath':
      case 'outputUri':
        return this.output(item, value, kind, where);
      case 'executorInput':
        return executorInput;
      case 'concat':
        if (!Array.isArray(value)) return this.fail(item, `${where}: concat takes a list`, `write concat: [a, {inputValue: b}, …]`);
        return concat(...value.map((part, index) => this.item(part, `${where}.concat[${index}]`, true)));
      case 'if':
        return this.ifPresent(item, this.ifParts(item, value, where), where, insideConcat);
      case 'ifPresent':
        return this.ifPresent(item, this.ifPresentParts(value), where, insideConcat);
      default:
        return this.fail(item, `${where}: '${kind}' is not a placeholder KFP v2 supports`, `use one of: ${supported}`);
    }
  }

  private inputValue(item: object, name: unknown, where: string): Placeholder {
    const key = this.inputName(item, name, where, 'inputValue');
    if (this.context.inputs[key]!.kind !== 'parameter') {
      this.fail(
        item,
        `${where}: {inputValue: ${String(name)}} reads a parameter, but input '${String(name)}' is an artifact (${this.context.declared.inputs[key]!.type})`,
        `give the input a parameter type (String, Integer, Float, Boolean, JsonObject, JsonArray), or pass its file with {inputPath: ${String(name)}}`,
      );
    }
    return inputValue(key);
  }

  private inputArtifact(item: object, name: unknown, kind: 'inputPath' | 'inputUri', where: string): Placeholder {
    const key = this.inputName(item, name, where, kind);
    if (this.context.inputs[key]!.kind !== 'artifact') {
      this.fail(
        item,
        `${where}: {${kind}: ${String(name)}} reads an artifact, but input '${String(name)}' is a parameter (${this.context.declared.inputs[key]!.type})`,
        `pass its value with {inputValue: ${String(name)}}, or give the input an artifact type (e.g. Dataset) if the task gets a file`,
      );
    }
    const placeholders = inputArtifact(key);
    return kind === 'inputPath' ? placeholders.path : placeholders.uri;
  }

  private output(item: object, name: unknown, kind: 'outputPath' | 'outputUri', where: string): Placeholder {
    const key = this.ioName(item, name, where, kind, 'output');
    if (this.context.outputs[key]!.kind === 'parameter') {
      if (kind === 'outputPath') return outputParameter(key).path;
      this.fail(
        item,
        `${where}: {outputUri: ${String(name)}} needs an artifact, but output '${String(name)}' is a parameter (${this.context.declared.outputs[key]!.type})`,
        `write the value to the file {outputPath: ${String(name)}} instead`,
      );
    }
    const placeholders = outputArtifact(key);
    return kind === 'outputPath' ? placeholders.path : placeholders.uri;
  }

  private ifParts(item: object, body: unknown, where: string): IfParts {
    const parts = isRecord(body) ? body : {};
    const condition = parts['cond'];
    if (!isRecord(condition) || Object.keys(condition).length !== 1 || !('isPresent' in condition)) {
      return this.fail(
        item,
        `${where}: an if placeholder needs cond: {isPresent: INPUT}`,
        'KFP v2 can only test whether an input was given; write if: {cond: {isPresent: NAME}, then: [...], else: [...]}',
      );
    }
    // biome-ignore lint/suspicious/noThenProperty: KFP v1's if placeholder names its branch `then`; this is no thenable
    return { input: condition['isPresent'], then: parts['then'], otherwise: parts['else'] };
  }

  private ifPresentParts(body: unknown): IfParts {
    const parts = isRecord(body) ? body : {};
    // biome-ignore lint/suspicious/noThenProperty: as above, for ifPresent
    return { input: parts['inputName'], then: parts['then'], otherwise: parts['else'] };
  }

  /** The reference writes `Then`/`Else` as lists when given lists and as one item otherwise; `else: []` is left out. */
  private ifPresent(item: object, parts: IfParts, where: string, insideConcat: boolean): StructuredPlaceholder {
    const key = this.inputName(item, parts.input, where, 'isPresent');
    const branch = (value: unknown, label: string): CommandItem | CommandItem[] =>
      Array.isArray(value)
        ? value.map((v, i) => this.item(v, `${where}.${label}[${i}]`, false))
        : this.item(value, `${where}.${label}`, false);
    if (parts.then === undefined)
      return this.fail(item, `${where}: the if placeholder has no 'then'`, 'add then: [...] with the items to use when the input is given');
    if (insideConcat && (Array.isArray(parts.then) || Array.isArray(parts.otherwise))) {
      this.fail(
        item,
        `${where}: an if inside concat has a list in then or else`,
        'inside concat, give then and else one item each (then: {inputValue: x}, not then: [...])',
      );
    }
    const then = branch(parts.then, 'then');
    const otherwise = parts.otherwise === undefined || parts.otherwise === null ? undefined : branch(parts.otherwise, 'else');
    const keepElse = otherwise !== undefined && !(Array.isArray(otherwise) && otherwise.length === 0) && otherwise !== '';
    // A single-item branch is written bare, as the reference writes it; placeholders.ts types branches as lists only.
    const body = { InputName: key, Then: then, ...(keepElse ? { Else: otherwise } : {}) } as { InputName: string; Then: CommandItem[] };
    return new StructuredPlaceholder({ IfPresent: body });
  }

  private inputName(item: object, name: unknown, where: string, kind: string): string {
    return this.ioName(item, name, where, kind, 'input');
  }

  private ioName(item: object, name: unknown, where: string, kind: string, side: 'input' | 'output'): string {
    const declared = side === 'input' ? this.context.inputs : this.context.outputs;
    const key = typeof name === 'string' ? sanitizeV1Name(name) : undefined;
    if (key !== undefined && key in declared) return key;
    const names = Object.values(this.context.declared[`${side}s`]).map((d) => d.name);
    const valid = names.length === 0 ? `the component declares no ${side}s` : `valid ${side}s: ${names.join(', ')}`;
    return this.fail(
      item,
      `${where}: {${kind}: ${String(name)}} names no ${side} of the component (${valid})`,
      `use one of the declared ${side} names, or declare '${String(name)}' under ${side}s:`,
    );
  }

  private fail(node: unknown, problem: string, fix: string): never {
    throw new ComponentLoadError(this.context.source, problem, fix, this.context.lineOf(node) ?? this.context.lineOf(this.list));
  }
}

interface IfParts {
  readonly input: unknown;
  readonly then: unknown;
  readonly otherwise: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
