/**
 * Checks that each `@ts-expect-error` in a type-test file fails for the reason it names, not for any
 * reason: `tsc` accepts the directive when ANY error is reported on the line it covers, so a typo
 * in a type test (or a change that breaks the line some other way) would pass silently.
 *
 * Convention: `// @ts-expect-error TS<code> <message fragment>`, optionally followed by ` — <why>`
 * (an em dash). The line must report an error with that code whose message (with its chain of
 * elaborations, flattened) contains the fragment. E.g.
 *
 *     // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number' — a string into an int
 *
 * How: the files are compiled with the TypeScript compiler API and the repository's tsconfig.json,
 * with each directive's `@` blanked out (same length, so positions do not move), which makes the
 * errors it would hide visible. Each error is attributed to a directive as tsc does it: walk up
 * from the error's line over blank and `//` comment lines; the first directive line met covers it
 * (TypeScript's checker, markPrecedingCommentDirectiveLine in src/compiler/program.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const DIRECTIVE = /^\s*\/\/\s*@ts-expect-error\b(.*)$/;
const ANNOTATION = /^\s*TS(\d+)\s+(.+?)\s*(?:\s—\s.*)?$/;

export interface ExpectedError {
  readonly file: string;
  /** 1-based line of the directive. */
  readonly line: number;
  readonly code: number;
  readonly fragment: string;
}

export interface ReportedError {
  readonly code: number;
  readonly message: string;
}

export interface TypeTestReport {
  /** One entry per directive, with the errors tsc would hide under it. */
  readonly directives: readonly { readonly expected: ExpectedError; readonly reported: readonly ReportedError[] }[];
  /** Problems found: a directive without a valid annotation, one whose line reports no matching error, an error outside any directive. */
  readonly problems: readonly string[];
}

/** The compiler options of the repository's tsconfig.json. */
export function repositoryCompilerOptions(repoRoot: string): ts.CompilerOptions {
  const configFile = path.join(repoRoot, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, (file) => ts.sys.readFile(file));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  return ts.parseJsonConfigFileContent(read.config, ts.sys, repoRoot, undefined, configFile).options;
}

/**
 * Compiles `files` (absolute paths) and checks their `@ts-expect-error` directives. `texts` may give
 * a file's text instead of reading it (for the checker's own tests).
 */
export function checkExpectedTypeErrors(
  files: readonly string[],
  options: ts.CompilerOptions,
  texts: ReadonlyMap<string, string> = new Map(),
): TypeTestReport {
  const checked = new Map(files.map((file) => [path.resolve(file), texts.get(file) ?? fs.readFileSync(file, 'utf8')]));
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = checked.get(path.resolve(fileName));
    if (text === undefined) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    return ts.createSourceFile(fileName, blankDirectives(text), languageVersion, true);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => checked.has(path.resolve(fileName)) || fileExists(fileName);
  const program = ts.createProgram({ rootNames: [...checked.keys()], options: { ...options, noEmit: true }, host });

  const directives: { expected: ExpectedError; reported: ReportedError[] }[] = [];
  const problems: string[] = [];
  for (const [file, text] of checked) {
    const lines = text.split('\n');
    const relative = path.relative(process.cwd(), file);
    const byLine = new Map<number, { expected: ExpectedError; reported: ReportedError[] }>();
    lines.forEach((lineText, index) => {
      const match = DIRECTIVE.exec(lineText);
      if (!match) return;
      const annotation = ANNOTATION.exec(match[1] ?? '');
      if (!annotation) {
        problems.push(
          `${relative}:${index + 1}: annotate the directive with the error it expects: '// @ts-expect-error TS<code> <message fragment> — <why>', got '${lineText.trim()}'`,
        );
        return;
      }
      const entry = { expected: { file, line: index + 1, code: Number(annotation[1]), fragment: annotation[2]! }, reported: [] };
      byLine.set(index, entry);
      directives.push(entry);
    });
    const sourceFile = program.getSourceFile(file)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    for (const diagnostic of diagnostics) {
      const line = diagnostic.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line;
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const directiveLine = coveringDirective(lines, line);
      const entry = directiveLine === undefined ? undefined : byLine.get(directiveLine);
      if (entry) entry.reported.push({ code: diagnostic.code, message });
      else if (directiveLine === undefined) problems.push(`${relative}:${line + 1}: unexpected error TS${diagnostic.code}: ${message}`);
    }
  }
  for (const { expected, reported } of directives) {
    const where = `${path.relative(process.cwd(), expected.file)}:${expected.line}`;
    if (reported.length === 0) {
      problems.push(`${where}: expected TS${expected.code} '${expected.fragment}', but the line compiles`);
    } else if (!reported.some((error) => error.code === expected.code && error.message.includes(expected.fragment))) {
      const actual = reported.map((error) => `TS${error.code}: ${error.message.replace(/\n\s*/g, ' / ')}`).join('; ');
      problems.push(`${where}: expected TS${expected.code} '${expected.fragment}', but the line reports ${actual}`);
    }
  }
  return { directives, problems };
}

/** Same length, so every position stays where it was, but no longer a directive. */
function blankDirectives(text: string): string {
  return text.replace(/(\/\/\s*)@(ts-expect-error)/g, '$1 $2');
}

/** The 0-based line of the directive that covers an error on `line`, as tsc attributes it. */
function coveringDirective(lines: readonly string[], line: number): number | undefined {
  for (let above = line - 1; above >= 0; above--) {
    const text = (lines[above] ?? '').trim();
    if (DIRECTIVE.test(text)) return above;
    if (text !== '' && !text.startsWith('//')) return undefined;
  }
  return undefined;
}
