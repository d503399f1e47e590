import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommandIo } from '../../cli/sub-command';
import { UsageError } from '../../cli/sub-command';
import { validateCommand } from '../../cli/commands/validate';
import { goldensDir } from '../support/kfp-goldens';

interface Captured {
  readonly io: CommandIo;
  stdout: string;
  stderr: string;
}

function capture(cwd: string): Captured {
  const captured: Captured = {
    io: {
      stdout: (text) => {
        captured.stdout += text;
      },
      stderr: (text) => {
        captured.stderr += text;
      },
      cwd,
    },
    stdout: '',
    stderr: '',
  };
  return captured;
}

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-validate-cli-'));
  const golden = path.join(goldensDir(), 'pipelines/critical/producer_consumer_param_pipeline.yaml');
  const text = fs.readFileSync(golden, 'utf8');
  fs.writeFileSync(path.join(dir, 'good.yaml'), text);
  fs.writeFileSync(
    path.join(dir, 'typo.yaml'),
    text.replace('name: comp-consumer', 'name: comp-consumr').replace('cachingOptions:', 'cachingOption:'),
  );
  fs.writeFileSync(path.join(dir, 'dangling.yaml'), text.replace('name: comp-consumer', 'name: comp-consumr'));
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'pipelineInfo:\n  name: p\nroot: {dag: [\n');
  fs.copyFileSync(path.join(goldensDir(), 'pipelines/pipeline_with_secret_as_volume.yaml'), path.join(dir, 'platform.yaml'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('kfp-ts validate', () => {
  it('reports a valid golden with its name and size, and exits 0', async () => {
    const out = capture(dir);
    const code = await validateCommand.run(['good.yaml'], out.io);
    expect(code).toBe(0);
    expect(out.stdout).toBe("good.yaml: valid PipelineSpec 'producer-consumer-param-pipeline' (2 components, 2 tasks in root)\n");
    expect(out.stderr).toBe('');
  });

  it('accepts a file with a platform document', async () => {
    const out = capture(dir);
    expect(await validateCommand.run(['platform.yaml'], out.io)).toBe(0);
    expect(out.stdout).toMatch(/^platform\.yaml: valid PipelineSpec '[a-z0-9-]+' \(\d+ components?, \d+ tasks? in root\)\n$/);
  });

  it('prints each problem with its JSON path, a summary, and exits 1', async () => {
    const out = capture(dir);
    const code = await validateCommand.run(['dangling.yaml'], out.io);
    expect(code).toBe(1);
    expect(out.stdout).toBe(
      "dangling.yaml: root.dag.tasks.consumer.componentRef.name: component 'comp-consumr' is not defined in components (did you mean 'comp-consumer'?)\n" +
        '1 of 1 file invalid (1 problem)\n',
    );
  });

  it('reports schema problems before references are checked', async () => {
    const out = capture(dir);
    expect(await validateCommand.run(['typo.yaml'], out.io)).toBe(1);
    expect(out.stdout).toContain(
      "typo.yaml: root.dag.tasks.consumer.cachingOption: unknown field 'cachingOption' (a typo of 'cachingOptions'?",
    );
    expect(out.stdout).not.toContain('comp-consumr');
  });

  it('reports bad YAML with file:line:column and exits 1', async () => {
    const out = capture(dir);
    const code = await validateCommand.run(['broken.yaml'], out.io);
    expect(code).toBe(1);
    expect(out.stdout).toMatch(/^broken\.yaml:4:1: invalid YAML: unexpected end of the stream within a flow collection\n/);
    expect(out.stdout).toMatch(/\n1 of 1 file invalid \(1 problem\)\n$/);
  });

  it('checks every file and summarises', async () => {
    const out = capture(dir);
    const code = await validateCommand.run(['good.yaml', 'missing.json', 'dangling.yaml'], out.io);
    expect(code).toBe(1);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^good\.yaml: valid PipelineSpec/);
    expect(lines[1]).toBe('missing.json: file not found');
    expect(lines[2]).toMatch(/^dangling\.yaml: root\.dag\.tasks\.consumer\.componentRef\.name: /);
    expect(lines[3]).toBe('2 of 3 files invalid (2 problems)');
  });

  it('says all files are valid when several are', async () => {
    const out = capture(dir);
    expect(await validateCommand.run(['good.yaml', path.join(dir, 'platform.yaml')], out.io)).toBe(0);
    expect(out.stdout.trimEnd().split('\n').pop()).toBe('all 2 files valid');
  });

  it('throws a UsageError without files or with an unknown option', async () => {
    await expect(validateCommand.run([], capture(dir).io)).rejects.toThrow(UsageError);
    await expect(validateCommand.run(['--strict', 'good.yaml'], capture(dir).io)).rejects.toThrow("unknown option '--strict'");
  });

  it('takes a file name that starts with a dash after --', async () => {
    fs.copyFileSync(path.join(dir, 'good.yaml'), path.join(dir, '-odd.yaml'));
    const out = capture(dir);
    expect(await validateCommand.run(['--', '-odd.yaml'], out.io)).toBe(0);
    expect(out.stdout).toMatch(/^-odd\.yaml: valid PipelineSpec/);
  });
});
