import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

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

  /** The first frame in the user's own code (not kfp-ts, not an installed package): for messages. */
  get location(): SourceLocation | undefined {
    if (this.resolved === undefined) this.resolved = firstFrame(this.capture.stack ?? '', true);
    return this.resolved ?? undefined;
  }

  /**
   * The file of the first frame outside kfp-ts, installed packages included: the module that
   * defines a function component, also when it comes from a team's shared package of steps.
   */
  get definingFile(): string | undefined {
    return firstFrame(this.capture.stack ?? '', false)?.file;
  }
}

/** `at fn (LOCATION)` or `at LOCATION`, LOCATION being `file:line:column` or a file:// URL with them. */
function parseFrame(line: string): SourceLocation | undefined {
  const text = line.trim().replace(/^at /, '');
  const location = text.endsWith(')') ? text.slice(text.lastIndexOf('(') + 1, -1) : text;
  const match = /^(.*):(\d+):(\d+)$/.exec(location);
  if (!match) return undefined;
  let file = match[1]!;
  if (file.startsWith('file://')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  if (!path.isAbsolute(file)) return undefined; // node:internal frames, eval, native
  return { file, line: Number(match[2]), column: Number(match[3]) };
}

function firstFrame(stack: string, skipPackages: boolean): SourceLocation | null {
  for (const line of stack.split('\n').slice(1)) {
    const frame = parseFrame(line);
    if (!frame) continue;
    if (frame.file.startsWith(libraryRoot + path.sep)) continue;
    if (skipPackages && frame.file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    return frame;
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
