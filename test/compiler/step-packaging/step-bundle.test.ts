/**
 * Bundling lightweight steps: what a bundle holds, that it is the same from any working directory,
 * and the refusals (a native addon, an import that does not resolve) with the user's terms and a fix.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StepBundleError, bundleStep } from '../../../compiler/step-packaging/step-bundle';

const compilerIndex = path.resolve(__dirname, '../../../compiler');
const betterSqlite = path.dirname(require.resolve('better-sqlite3/package.json'));

let project: string;
beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-step-bundle-'));
  fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "bundle-fixture" }');
  const step = (body: string, imports = '') =>
    `import { functionComponent, t } from ${JSON.stringify(compilerIndex)};\n${imports}\nexport const step = functionComponent({ name: 'step', outputs: { n: t.int() }, implementation: () => ({ n: ${body} }) });\n`;
  fs.writeFileSync(
    path.join(project, 'helper.ts'),
    "export const placeholderText = '{{$.inputs.parameters[\\'x\\']}} and {{$}}';\nexport const answer = 42;\n",
  );
  fs.writeFileSync(
    path.join(project, 'plain.ts'),
    step('answer + placeholderText.length', "import { answer, placeholderText } from './helper';"),
  );
  fs.writeFileSync(
    path.join(project, 'native.ts'),
    step("typeof Database === 'function' ? 1 : 0", `import Database from ${JSON.stringify(betterSqlite)};`),
  );
  fs.writeFileSync(path.join(project, 'unresolved.ts'), step('missing', "import { missing } from './nowhere';"));
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('bundleStep', () => {
  it('bundles the module, its local imports and the executor into one CommonJS file that names files relative to the project', () => {
    const bundle = bundleStep(path.join(project, 'plain.ts'), 'step', project);
    expect(bundle.code.startsWith('// kfp-ts step "step" from "plain.ts"\n')).toBe(true);
    expect(bundle.code).toContain('runStepMain');
    expect(bundle.code).toContain('42');
    expect(bundle.code).not.toContain(project);
    expect(bundle.code).not.toContain(compilerIndex);
    expect(bundle.bytes).toBe(Buffer.byteLength(bundle.code));
    // Tree-shaken from ES modules: the compiler and the schema validator are not in a step.
    expect(bundle.code).not.toContain('compilePipeline');
    expect(bundle.code).not.toMatch(/require\("ajv/);
    expect(bundle.bytes).toBeLessThan(64 * 1024);
    // Only Node's own modules stay outside the bundle.
    const required = [...bundle.code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]);
    expect(required.every((name) => name!.startsWith('node:') || ['fs', 'path', 'os', 'crypto', 'util'].includes(name!))).toBe(true);
  });

  it('is the same whatever the working directory', () => {
    const here = bundleStep(path.join(project, 'plain.ts'), 'step', project).code;
    const before = process.cwd();
    try {
      process.chdir(os.tmpdir());
      expect(bundleStep(path.join(project, 'plain.ts'), 'step', project).code).toBe(here);
    } finally {
      process.chdir(before);
    }
  });

  it('refuses a step that loads a native addon through a loader esbuild cannot see, saying to make it containerized', () => {
    const error = captureError(() => bundleStep(path.join(project, 'native.ts'), 'step', project));
    expect(error.message).toBe("the step's code uses better-sqlite3, which loads a native addon that cannot travel in a bundle");
    expect(error.fix).toMatch(/containerized with targetImage: projectImage/);
  });

  it('refuses an import that does not resolve, with the file and line', () => {
    const error = captureError(() => bundleStep(path.join(project, 'unresolved.ts'), 'step', project));
    expect(error.message).toBe('the step module unresolved.ts could not be bundled: unresolved.ts:2: Could not resolve "./nowhere"');
  });
});

function captureError(action: () => unknown): StepBundleError {
  try {
    action();
  } catch (error) {
    if (error instanceof StepBundleError) return error;
    throw error;
  }
  throw new Error('expected a StepBundleError');
}
