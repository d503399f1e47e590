import * as yaml from 'js-yaml';
import { ComponentLoadError } from './component-load-error';

/** The documents of a YAML (or JSON) text, and where their nodes start, for error messages. */
export interface LocatedYaml {
  readonly documents: unknown[];
  /** The 1-based line where an object or list (by identity) or a string (its first occurrence) starts. */
  lineOf(value: unknown): number | undefined;
}

/**
 * Parses with the JSON schema (so `yes` or `1.10` stay strings, as the IR means them) and records the
 * line of every node through js-yaml's parse events: 'open' fires where a node starts and 'close'
 * carries the value it built, so a stack pairs the two.
 */
export function parseYamlWithLines(text: string, source: string): LocatedYaml {
  const objectLines = new WeakMap<object, number>();
  const stringLines = new Map<string, number>();
  const openLines: number[] = [];
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, null, {
      schema: yaml.JSON_SCHEMA,
      filename: source,
      listener(event, state) {
        if (event === 'open') {
          openLines.push(state.line + 1);
          return;
        }
        const line = openLines.pop();
        const value: unknown = state.result;
        if (line === undefined) return;
        if (typeof value === 'object' && value !== null) {
          if (!objectLines.has(value)) objectLines.set(value, line);
        } else if (typeof value === 'string' && !stringLines.has(value)) {
          stringLines.set(value, line);
        }
      },
    });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    throw new ComponentLoadError(
      source,
      `not valid YAML or JSON: ${error.reason}`,
      'correct the syntax there (a component file is KFP v1 component YAML or compiled IR in YAML or JSON)',
      error.mark ? error.mark.line + 1 : undefined,
    );
  }
  return {
    documents,
    lineOf(value) {
      if (typeof value === 'object' && value !== null) return objectLines.get(value);
      return typeof value === 'string' ? stringLines.get(value) : undefined;
    },
  };
}
