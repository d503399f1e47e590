import * as path from 'node:path';

/** Where in the user's code a pipeline element was created. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const libraryRoot = path.resolve(__dirname, '..');

/**
 * The call site that created a node, captured cheaply: V8 records frames when the Error is made and
 * only formats them (and applies source maps) when `stack` is read, which we do only to report.
 */
export class CallSite {
  private readonly capture = new Error();
  private resolved: SourceLocation | null | undefined;

  get location(): SourceLocation | undefined {
    if (this.resolved === undefined) this.resolved = firstUserFrame(this.capture.stack ?? '');
    return this.resolved ?? undefined;
  }
}

const framePattern = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/;

function firstUserFrame(stack: string): SourceLocation | null {
  for (const line of stack.split('\n').slice(1)) {
    const match = framePattern.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.replace(/^file:\/\//, '');
    if (file.startsWith('node:') || !path.isAbsolute(file)) continue;
    if (file.startsWith(libraryRoot + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return null;
}

/** `file:line` relative to `cwd` when inside it, for messages. */
export function formatLocation(location: SourceLocation | undefined, cwd = process.cwd()): string {
  if (!location) return '<unknown location>';
  const relative = path.relative(cwd, location.file);
  const shown = relative.startsWith('..') ? location.file : relative;
  return `${shown}:${location.line}`;
}
