import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from './config-error';
import { cleanPath, compilePattern, type PatternMatch } from './ignore-pattern';

/**
 * `.dockerignore` as Docker applies it to a build context, ported from moby/patternmatcher (its
 * ignore-file reader and `MatchesUsingParentResults`) and from the walk in BuildKit's fsutil:
 * patterns in order, the last that matches a path or one of its folders wins, `!` makes an
 * exception, and a folder an exclusion matches is still walked when an exception may take back
 * something inside it. Whatever Docker sends must be hashed (see image-hash.ts), so agreeing with
 * Docker matters more here than tidiness.
 */

interface Pattern {
  /** The cleaned pattern, without its `!`. */
  readonly text: string;
  readonly exception: boolean;
  readonly matches: PatternMatch;
}

/** What each pattern said about a folder, handed to the entries inside it (Docker's MatchInfo). */
export type ParentMatches = readonly boolean[];

/** Characters that make an exception a glob rather than a plain path, as fsutil counts them. */
const GLOB_CHARS = /[*[\]?^\\]/;

/** fsutil's patternWithoutTrailingGlob: `a/**` and `a/*` both reach into `a`. */
const withoutTrailingGlob = (text: string) => {
  const trimmed = text.endsWith('/**') ? text.slice(0, -3) : text;
  return trimmed.endsWith('/*') ? trimmed.slice(0, -2) : trimmed;
};

const isFile = (file: string) => fs.existsSync(file) && fs.statSync(file).isFile();

/**
 * The ignore file a build reads: BuildKit takes `<Dockerfile>.dockerignore`, beside the
 * Dockerfile, in place of the context's `.dockerignore` when it exists.
 */
export function ignoreFileFor(context: string, dockerfile?: string): string | undefined {
  const own = dockerfile === undefined ? undefined : `${dockerfile}.dockerignore`;
  if (own !== undefined && isFile(own)) return own;
  const shared = path.join(context, '.dockerignore');
  return isFile(shared) ? shared : undefined;
}

export class DockerIgnore {
  /** The ignore file of a build context, or none; see {@link ignoreFileFor}. */
  static read(context: string, dockerfile?: string): DockerIgnore {
    const file = ignoreFileFor(context, dockerfile);
    return file === undefined ? new DockerIgnore([]) : DockerIgnore.parse(fs.readFileSync(file, 'utf8'), file);
  }

  /** Reads patterns as moby's ignorefile.ReadAll and patternmatcher.New do; `source` names the file in errors. */
  static parse(text: string, source = '.dockerignore'): DockerIgnore {
    const patterns: Pattern[] = [];
    text
      .replace(/^\uFEFF/, '')
      .split('\n')
      .forEach((raw, index) => {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        // Docker looks for comments before trimming: only a "#" in the first column starts one.
        if (line.startsWith('#') || line.trim() === '') return;
        const where = `${source}:${index + 1}: "${line.trim()}"`;
        const exception = line.trim().startsWith('!');
        let pattern = exception ? line.trim().slice(1).trim() : line.trim();
        if (pattern !== '') pattern = cleanPath(pattern);
        if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
        // Docker cleans the line once more with its "!", so `!/` ends up as a bare "!" too.
        if (exception && (pattern === '' || pattern === '/')) {
          throw new ConfigError(
            `${where}: an exception needs a pattern after the "!" (Docker refuses a bare "!"); write the path to take back, e.g. "!dist/keep.js"`,
          );
        }
        try {
          patterns.push({ text: pattern, exception, matches: compilePattern(pattern) });
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new ConfigError(`${where} is not a valid pattern: ${error.message}. Docker refuses the file too; fix or remove the line`);
        }
      });
    return new DockerIgnore(patterns);
  }

  /** Whether every exception is a plain path, so a walk can tell which folders they reach into. */
  private readonly exceptionsArePaths: boolean;

  private constructor(private readonly patterns: readonly Pattern[]) {
    this.exceptionsArePaths = patterns.every((pattern) => !pattern.exception || !GLOB_CHARS.test(withoutTrailingGlob(pattern.text)));
  }

  /**
   * Whether Docker leaves `file` (relative to the context, `/`-separated) out. A walk passes the
   * `matches` of the folder it is in as `parent`; without it every folder above is tried.
   */
  match(file: string, parent?: ParentMatches): { readonly ignored: boolean; readonly matches: ParentMatches } {
    let ignored = false;
    const matches = this.patterns.map(() => false);
    this.patterns.forEach((pattern, index) => {
      // A pattern that matched the folder matches what lies inside it.
      let matched = parent?.[index] ?? false;
      if (!matched) {
        // Only a pattern that could change the answer is tried, as Docker does; the matches it
        // hands down depend on that.
        if (pattern.exception !== ignored) return;
        matched = pattern.matches(file) || (parent === undefined && foldersAbove(file).some(pattern.matches));
      }
      matches[index] = matched;
      if (matched) ignored = !pattern.exception;
    });
    return { ignored, matches };
  }

  /** Whether Docker leaves `file` out, judged on its own (Docker's MatchesOrParentMatches). */
  ignores(file: string): boolean {
    return this.match(file).ignored;
  }

  /**
   * Whether a walk must go into a folder that is itself left out, because an exception may take
   * back something inside it (`dist` then `!dist/keep.js`). BuildKit skips the folder only when
   * every exception is a plain path and none lies under it; a glob exception makes it look.
   */
  mayTakeBackInside(folder: string): boolean {
    if (!this.exceptionsArePaths) return true;
    return this.patterns.some((pattern) => pattern.exception && `${withoutTrailingGlob(pattern.text)}/`.startsWith(`${folder}/`));
  }
}

/** `a`, `a/b` for `a/b/c`. */
function foldersAbove(file: string): string[] {
  const parts = file.split('/');
  return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join('/'));
}
