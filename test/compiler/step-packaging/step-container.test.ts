/**
 * The container of a packaged step: the lightweight command (pieces under Linux's per-argument cap,
 * KFP placeholders hidden from the backend), the containerized command, and the refusals.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectImage, type ProjectImage } from '../../../compiler';
import type { FunctionImplementation } from '../../../compiler/dsl/component-definition';
import { StepBundleError } from '../../../compiler/step-packaging/step-bundle';
import { hidePlaceholders, lightweightCommand, packageStep } from '../../../compiler/step-packaging/step-container';

describe('lightweightCommand', () => {
  it('splits a bundle into arguments below 128 KiB that sh joins back into the program node runs', () => {
    const program = `process.stdout.write(${JSON.stringify('x'.repeat(250_000))}.length + ' ' + process.argv.slice(2).join(','))`;
    const command = lightweightCommand(program);
    expect(command.slice(0, 2)).toEqual(['sh', '-ec']);
    const pieces = command.slice(4);
    expect(pieces).toHaveLength(3);
    expect(pieces.every((piece) => Buffer.byteLength(piece) < 128 * 1024)).toBe(true);
    expect(pieces.join('')).toBe(program);
    const run = spawnSync(command[0]!, [...command.slice(1), '--executor-input', '{}'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('250000 --executor-input,{}');
  });
});

describe('hidePlaceholders', () => {
  it('leaves no KFP placeholder in code, without changing what the code means', () => {
    const code = 'const a = "{{$}}", b = `{{$.inputs.parameters[\'x\']}}`, c = `{{${1 + 1}}}`; if (1) {{$.map(() => 0)}}';
    const hidden = hidePlaceholders(code);
    expect(hidden).not.toMatch(/\{\{\$[}.]/);
    const evaluate = (text: string) => new Function('$', `${text}; return [a, b, c];`)([]);
    expect(evaluate(hidden)).toEqual(evaluate(code));
    expect(evaluate(hidden)).toEqual(['{{$}}', "{{$.inputs.parameters['x']}}", '{{2}}']);
  });
});

describe('packageStep (containerized)', () => {
  let project: string;
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-step-container-'));
    fs.mkdirSync(path.join(project, 'components'));
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "container-fixture" }');
  });
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
  const containerized = (image: string | ProjectImage, moduleFile: string): FunctionImplementation => ({
    kind: 'function',
    moduleFile,
    packaging: { kind: 'containerized', image },
  });

  it('runs kfp-ts exec-component with the module relative to the image context, in the configured image', () => {
    const step = packageStep('train', containerized(projectImage('steps'), path.join(project, 'components', 'train.ts')), {
      projectImages: { steps: { image: 'registry.example/ml/steps:src-0123', context: project } },
    });
    expect(step).toEqual({
      image: 'registry.example/ml/steps:src-0123',
      command: ['kfp-ts', 'exec-component', 'components/train.ts', 'train'],
      args: ['--executor-input', '{{$}}'],
      packaging: 'containerized',
    });
  });

  it('refuses a project image the configuration does not have, naming those it has', () => {
    const action = () =>
      packageStep('train', containerized(projectImage('gpu'), path.join(project, 'components', 'train.ts')), {
        projectImages: { steps: { image: 'steps:src-1', context: project } },
      });
    expect(action).toThrow(StepBundleError);
    expect(action).toThrow("projectImage('gpu') is not one of the project's images (steps)");
    const inherited = () =>
      packageStep('train', containerized(projectImage('constructor'), path.join(project, 'components', 'train.ts')), { projectImages: {} });
    expect(inherited).toThrow("projectImage('constructor') is not one of the project's images (none are configured)");
  });

  it('refuses a module outside the image context', () => {
    const action = () =>
      packageStep('train', containerized(projectImage('steps'), path.join(os.tmpdir(), 'elsewhere', 'train.ts')), {
        projectImages: { steps: { image: 'steps:src-1', context: project } },
      });
    expect(action).toThrow(/lies outside the image's build context/);
  });

  it('refuses a lightweight bundle over the limit, with its size', () => {
    const moduleFile = path.join(project, 'components', 'big.ts');
    fs.writeFileSync(
      moduleFile,
      `import { functionComponent } from ${JSON.stringify(path.resolve(__dirname, '../../../compiler'))};\nexport const big = functionComponent({ name: 'big', implementation: () => { console.log(${JSON.stringify('y'.repeat(40_000))}); } });\n`,
    );
    const action = () =>
      packageStep('big', { kind: 'function', moduleFile, packaging: { kind: 'lightweight' } }, { maxBundleBytes: 20_000 });
    expect(action).toThrow(/^the step's bundle is \d+\.\d KiB, over the limit of 19\.5 KiB/);
  });
});
