/**
 * Every `@ts-expect-error` in test/types/*.typetest.ts fails for the reason its annotation names
 * (`// @ts-expect-error TS<code> <message fragment> — <why>`), not for any reason: see
 * test/support/expected-type-errors.ts. `tsc` (npm run typecheck) still checks that no directive is
 * unused; this test checks what each one hides.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkExpectedTypeErrors, repositoryCompilerOptions, type TypeTestReport } from '../support/expected-type-errors';

const repoRoot = path.resolve(__dirname, '../..');
const typeTests = fs
  .readdirSync(__dirname)
  .filter((file) => file.endsWith('.typetest.ts'))
  .sort()
  .map((file) => path.join(__dirname, file));

// Not on disk: the checker's own cases, compiled in the same program as the type tests (one compile).
const selfTest = path.join(__dirname, 'checker-cases.typetest.ts');
const selfTestText = [
  "// @ts-expect-error TS2322 Type 'string' is not assignable to type 'number' — the expected code and message",
  "const a: number = 'a';",
  "// @ts-expect-error TS2345 Type 'string' is not assignable to type 'number' — the wrong code",
  "const b: number = 'b';",
  "// @ts-expect-error TS2322 Type 'boolean' is not assignable — the wrong message",
  "const c: number = 'c';",
  '// @ts-expect-error a reason, but not the error',
  "const d: number = 'd';",
  "// @ts-expect-error TS2322 Type 'string' — a line that compiles",
  'const e: number = 5;',
  "const f: number = 'f';",
  "// @ts-expect-error TS2322 Type 'string' is not assignable to type 'number' — comment lines between the directive and its line",
  '// (tsc skips them)',
  '',
  "const g: number = 'g';",
  'export { a, b, c, d, e, f, g };',
  '',
].join('\n');

let report: TypeTestReport;
beforeAll(() => {
  report = checkExpectedTypeErrors([...typeTests, selfTest], repositoryCompilerOptions(repoRoot), new Map([[selfTest, selfTestText]]));
}, 180_000);

const inFile = (file: string) => (problem: string) => problem.startsWith(`${path.relative(process.cwd(), file)}:`);

describe('the type tests', () => {
  it('exist and annotate their directives', () => {
    expect(typeTests.length).toBeGreaterThanOrEqual(8);
    const directives = report.directives.filter((entry) => entry.expected.file !== selfTest);
    expect(directives.length).toBeGreaterThanOrEqual(60);
  });

  it.each(typeTests.map((file) => [path.basename(file), file] as const))(
    '%s: each directive hides the error it names, and nothing else fails',
    (_name, file) => {
      expect(report.problems.filter(inFile(file))).toEqual([]);
    },
  );
});

describe('the checker', () => {
  const where = (line: number) => `${path.relative(process.cwd(), selfTest)}:${line}`;

  it('reports a wrong code, a wrong message, a missing annotation, a line that compiles and an error outside any directive', () => {
    expect(report.problems.filter(inFile(selfTest))).toEqual([
      `${where(7)}: annotate the directive with the error it expects: '// @ts-expect-error TS<code> <message fragment> — <why>', got '// @ts-expect-error a reason, but not the error'`,
      `${where(11)}: unexpected error TS2322: Type 'string' is not assignable to type 'number'.`,
      `${where(3)}: expected TS2345 'Type 'string' is not assignable to type 'number'', but the line reports TS2322: Type 'string' is not assignable to type 'number'.`,
      `${where(5)}: expected TS2322 'Type 'boolean' is not assignable', but the line reports TS2322: Type 'string' is not assignable to type 'number'.`,
      `${where(9)}: expected TS2322 'Type 'string'', but the line compiles`,
    ]);
  });

  it('attributes an error to the directive above it across comment and blank lines, as tsc does', () => {
    const covering = report.directives.find((entry) => entry.expected.file === selfTest && entry.expected.line === 12);
    expect(covering?.reported).toEqual([{ code: 2322, message: "Type 'string' is not assignable to type 'number'." }]);
  });
});
