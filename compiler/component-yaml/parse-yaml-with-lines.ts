import * as yaml from 'js-yaml';
import { checkDocumentLimits, DOCUMENT_LIMITS, fileTooLargeMessage, formatDocumentPath } from '../util/document-limits';
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
  // A text length is UTF-16 units, at most its UTF-8 bytes, so this never refuses a file the readers accept.
  if (text.length > DOCUMENT_LIMITS.maxFileBytes) {
    throw new ComponentLoadError(source, fileTooLargeMessage(), 'load the component file itself, not a file that merely contains one');
  }
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
  // Before the component readers walk the documents: an alias bomb or cycle would make them blow up or hang.
  for (const document of documents) {
    const exceeded = checkDocumentLimits(document);
    if (exceeded) {
      const line = exceeded.node ? objectLines.get(exceeded.node) : undefined;
      throw new ComponentLoadError(source, `${formatDocumentPath(exceeded.path)}: ${exceeded.problem}`, exceeded.fix, line);
    }
  }
  return {
    documents,
    lineOf(value) {
      if (typeof value === 'object' && value !== null) return objectLines.get(value);
      return typeof value === 'string' ? stringLines.get(value) : undefined;
    },
  };
}
