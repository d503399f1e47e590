import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { main } from '../../cli/main';
import { validatePipelineSpec } from '../../compiler/ir/validate-pipeline-spec';

const root = path.resolve(__dirname, '../..');

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: root });
  return { code, stdout, stderr };
}

describe('kfp-ts compile', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-compile-'));

  it('writes YAML with the reference header to stdout by default', async () => {
    const { code, stdout } = await run('compile', 'test/cli/fixtures/hello-pipeline.ts');
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 8)).toEqual([
      '# PIPELINE DEFINITION',
      '# Name: hello-pipeline',
      '# Description: Prepares rows and fits a model.',
      '# Inputs:',
      '#    rows: int [Default: 10.0]',
      '# Outputs:',
      '#    model: system.Model',
      'components:',
    ]);
    const spec = yaml.load(stdout) as Record<string, any>;
    expect(validatePipelineSpec(spec)).toEqual([]);
    expect(spec['root'].dag.tasks.fit.inputs.artifacts.data).toEqual({
      taskOutputArtifact: { outputArtifactKey: 'data', producerTask: 'prepare' },
    });
  });

  it('writes deterministic JSON with -o out.json', async () => {
    const out = path.join(tmp, 'hello.json');
    expect((await run('compile', 'test/cli/fixtures/hello-pipeline.ts', '-o', out)).code).toBe(0);
    const first = fs.readFileSync(out, 'utf8');
    expect((await run('compile', 'test/cli/fixtures/hello-pipeline.ts', `--output=${out}`)).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(first);
    const spec = JSON.parse(first);
    expect(Object.keys(spec)).toEqual(['components', 'deploymentSpec', 'pipelineInfo', 'root', 'schemaVersion', 'sdkVersion']);
    expect(spec.schemaVersion).toBe('2.1.0');
    expect(spec.sdkVersion).toMatch(/^kfp-ts-\d+\.\d+\.\d+$/);
  });

  it('creates the missing folders of -o, and explains an output path it cannot write', async () => {
    const out = path.join(tmp, 'fresh', 'build', 'hello.yaml');
    const { code, stderr } = await run('compile', 'test/cli/fixtures/hello-pipeline.ts', '-o', out);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`→ ${out}`) });
    expect(fs.readFileSync(out, 'utf8')).toContain('# Name: hello-pipeline');

    // A parent path that is a file: one line naming the path, exit 1, no stack trace.
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, '');
    const blocked = path.join(blocker, 'hello.yaml');
    const failed = await run('compile', 'test/cli/fixtures/hello-pipeline.ts', '-o', blocked);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^kfp-ts compile: cannot write .*a-file\/hello\.yaml: E[A-Z]+/);
    expect(failed.stderr).not.toContain('    at ');
  });

  it('reports every problem of a bad pipeline with file:line and exits 1', async () => {
    const { code, stderr } = await run('compile', 'test/cli/fixtures/three-mistakes-pipeline.ts');
    expect(code).toBe(1);
    const file = 'test/cli/fixtures/three-mistakes-pipeline.ts';
    expect(stderr).toContain('three-mistakes-pipeline.ts has 4 problems:');
    expect(stderr).toContain(`[three-mistakes/consume] ${file}:9: input 'data': expects a system.Dataset artifact, got system.Model`);
    expect(stderr).toContain(`[three-mistakes/consume-2] ${file}:10: input 'data'`);
    expect(stderr).toContain(`[three-mistakes/consume-3] ${file}:11: input 'epochs': expects an int, got the string "three"`);
    expect(stderr).toContain(`[three-mistakes/consume-3] ${file}:11: missing required input 'data'`);
  });

  it('explains a missing file, a file without pipelines and an unknown export', async () => {
    expect((await run('compile', 'nope.ts')).stderr).toContain('nope.ts: no such file');
    const empty = path.join(tmp, 'empty.ts');
    fs.writeFileSync(empty, 'export const x = 1;\n');
    expect((await run('compile', empty)).stderr).toContain("exports no pipeline; export one with 'export default pipeline(");
    const { code, stderr } = await run('compile', 'test/cli/fixtures/hello-pipeline.ts', '--export', 'other');
    expect(code).toBe(1);
    expect(stderr).toContain("export 'other' is not a pipeline or component (pipelines exported: default)");
  });

  it('rejects bad usage with exit code 2', async () => {
    expect((await run('compile')).code).toBe(2);
    const { code, stderr } = await run('compile', 'x.ts', '-o', 'out.txt');
    expect(code).toBe(2);
    expect(stderr).toContain("output file 'out.txt' must end in .json, .yaml or .yml");
    expect((await run('compile', 'x.ts', '--frobnicate')).stderr).toContain('unknown option --frobnicate');
  });
});
