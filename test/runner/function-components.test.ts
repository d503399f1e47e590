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

  it('compile to a container command that runs the implementation from the project root', () => {
    const spec = compilePipeline(flow);
    expect(spec.deploymentSpec!.executors['exec-tokenize']!.container).toEqual({
      args: ['--executor-input', '{{$}}'],
      command: ['node', 'cli/bin/kfp-ts.js', 'exec-component', 'test/runner/fixtures/function-components.ts', 'tokenize'],
      image: 'kfp-ts-components:latest',
    });
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
