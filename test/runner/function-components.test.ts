import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePipeline, pipeline, t } from '../../compiler';
import { longestWord, tokenize } from './fixtures/function-components';
import { query, run, tempWorkspace } from './support';

const flow = pipeline({ name: 'words', params: { text: t.string() } }, ({ text }) => {
  const tokens = tokenize({ text });
  return { word: longestWord({ tokens: tokens.outputs.tokens }).outputs.word, count: tokens.outputs.count };
});

describe('function components', () => {
  it('can be called in-process by unit tests', async () => {
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'kfp-ts-fn-'));
    const tokens = { uri: path.join(dir, 'tokens'), path: path.join(dir, 'tokens'), metadata: {} as Record<string, unknown> };
    const result = await tokenize.implementation({ inputs: { text: 'Hello big World', lowercase: true }, outputs: { tokens } });
    expect(result).toEqual({ count: 3 });
    expect(fs.readFileSync(tokens.path, 'utf8')).toBe('hello\nbig\nworld');
    expect(tokens.metadata).toEqual({ lines: 3 });
  });

  it('compile to a lightweight step: a self-contained bundle of their module that sh writes out and node runs, on the Node image', () => {
    const spec = compilePipeline(flow);
    const container = spec.deploymentSpec!.executors['exec-tokenize']!.container!;
    expect(container.image).toBe('node:20-slim');
    expect(container.args).toEqual(['--executor-input', '{{$}}']);
    const [shell, flags, script, name, ...pieces] = container.command!;
    expect([shell, flags, name]).toEqual(['sh', '-ec', 'kfp-ts-step']);
    expect(script).toContain(`pieces=${pieces.length}`);
    expect(script).toContain('cd "$folder"\nexec node step.cjs "$@"');
    const bundle = pieces.join('');
    expect(bundle.split('\n')[0]).toBe('// kfp-ts step "tokenize" from "test/runner/fixtures/function-components.ts"');
    // Self-contained: it loads no file of the project, only Node's own modules.
    expect([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]).filter((name) => !name!.startsWith('node:'))).toEqual([]);
  });

  it('run on the host with the local runner, outputs and artifact metadata recorded', async () => {
    const workspace = tempWorkspace();
    const result = await run(flow, workspace, { parameters: { text: 'Pipelines in TypeScript' } });
    expect(result.state).toBe('SUCCEEDED');
    expect(result.parameters).toEqual({ word: 'typescript', count: 3 });
    const lines = query<{ double_value: number }>(workspace.metadataFile, "SELECT double_value FROM ArtifactProperty WHERE name = 'lines'");
    expect(lines).toEqual([{ double_value: 3 }]);
  });
});
