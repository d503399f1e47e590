/**
 * `kfp-ts run` of a team project's pipeline: a containerized step runs on this machine from its
 * image's build context (here a subfolder of the project, as kfp-ts.config.ts says), where its
 * module path points; a lightweight step runs in an empty temporary folder, as in a stock image.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const compilerIndex = path.join(root, 'compiler');
const configModule = path.join(root, 'project', 'config');

let project: string;
beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-run-project-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.writeFileSync(path.join(project, file), text);
  };
  write('package.json', '{ "name": "run-project", "private": true }');
  write(
    'kfp-ts.config.ts',
    `import { defineConfig } from ${JSON.stringify(configModule)};\nexport default defineConfig({ images: { steps: { context: 'steps', dockerfile: 'steps/Dockerfile' } } });\n`,
  );
  write('steps/Dockerfile', 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\n');
  write(
    'steps/report.ts',
    [
      `import * as fs from 'node:fs';`,
      `import { Markdown, functionComponent, projectImage, t } from ${JSON.stringify(compilerIndex)};`,
      `export const report = functionComponent({`,
      `  name: 'report', targetImage: projectImage('steps'), inputs: { where: t.string() }, outputs: { page: Markdown },`,
      `  implementation: ({ inputs, outputs }) => { fs.writeFileSync(outputs.page.path, process.cwd()); },`,
      `});`,
      '',
    ].join('\n'),
  );
  write(
    'pipelines/pipeline.ts',
    [
      `import * as fs from 'node:fs';`,
      `import { Dataset, functionComponent, pipeline, t } from ${JSON.stringify(compilerIndex)};`,
      `import { report } from '../steps/report';`,
      `export const where = functionComponent({`,
      `  name: 'where', outputs: { note: Dataset, cwd: t.string() },`,
      `  implementation: ({ outputs }) => { fs.writeFileSync(outputs.note.path, process.cwd() + '\\n' + fs.readdirSync('.').join(',')); return { cwd: process.cwd() }; },`,
      `});`,
      `export default pipeline({ name: 'run-project' }, () => {`,
      `  report({ where: where().outputs.cwd });`,
      `});`,
      '',
    ].join('\n'),
  );
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

it('runs the containerized step from its image context and the lightweight step from an empty folder', () => {
  const run = spawnSync(
    process.execPath,
    [path.join(root, 'cli/bin/kfp-ts.js'), 'run', 'pipelines/pipeline.ts', '--pipeline-root', 'outputs', '--metadata', 'metadata.sqlite'],
    { cwd: project, encoding: 'utf8', env: process.env },
  );
  expect(run.stderr + run.stdout).toMatch(/SUCCEEDED/);
  const outputs = fs.readdirSync(path.join(project, 'outputs', 'run-project'));
  const runFolder = path.join(project, 'outputs', 'run-project', outputs[0]!);
  const value = (task: string, output: string) => fs.readFileSync(path.join(runFolder, task, output), 'utf8');
  expect(value('report', 'page')).toBe(path.join(project, 'steps'));
  const [lightweightFolder, files] = value('where', 'note').split('\n');
  expect(path.relative(project, lightweightFolder!).startsWith('..')).toBe(true);
  expect(files).toBe('step.cjs');
});

it('refuses at compile time a function component its module does not export, at the line that defines it', () => {
  fs.writeFileSync(
    path.join(project, 'pipelines', 'hidden.ts'),
    [
      `import { functionComponent, pipeline } from ${JSON.stringify(compilerIndex)};`,
      `const hidden = functionComponent({ name: 'hidden', implementation: () => undefined });`,
      `export default pipeline({ name: 'hidden-step' }, () => { hidden(); });`,
      '',
    ].join('\n'),
  );
  const compile = spawnSync(process.execPath, [path.join(root, 'cli/bin/kfp-ts.js'), 'compile', 'pipelines/hidden.ts'], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(compile.status).toBe(1);
  expect(compile.stderr).toContain(
    "[hidden-step/hidden] pipelines/hidden.ts:2: function component 'hidden': its module does not export it, and a step's container finds its component among the module's exports — export it: export const step = functionComponent({ name: 'hidden', … })",
  );
});
