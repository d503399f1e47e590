/**
 * A lightweight step's compiled command is self-contained: run exactly as the IR says, by `sh` and
 * `node` alone, from an empty folder with an environment that reaches nothing of this repository
 * (no NODE_PATH, no node_modules above, HOME elsewhere), it reads its executor input and writes
 * its outputs, as it would on a stock node:20-slim image.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compilePipeline } from '../../../compiler';
import type { ExecutorInput } from '../../../compiler/ir/executor-protocol';
import stockNode from './fixtures/word-count-step';

const repositoryRoot = path.resolve(__dirname, '../../..');

describe('a lightweight step on stock Node', () => {
  const container = compilePipeline(stockNode).deploymentSpec!.executors['exec-count-words']!.container!;

  it('compiles to sh + node with the bundle inline, naming no file of this repository', () => {
    expect(container.image).toBe('node:20-slim');
    expect(container.command!.slice(0, 2)).toEqual(['sh', '-ec']);
    expect(container.args).toEqual(['--executor-input', '{{$}}']);
    expect(container.command!.join('\n')).not.toContain(repositoryRoot);
  });

  it('runs from an empty folder with only PATH and HOME set, and writes its outputs', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-stock-node-'));
    const emptyFolder = path.join(scratch, 'work');
    const outputs = path.join(scratch, 'outputs');
    fs.mkdirSync(emptyFolder);
    const input: ExecutorInput = {
      inputs: { parameterValues: { text: 'a stock node image runs a bundled step' }, artifacts: {} },
      outputs: {
        parameters: { count: { outputFile: path.join(outputs, 'count') } },
        artifacts: { words: { artifacts: [{ name: 'words', uri: path.join(outputs, 'words'), metadata: {} }] } },
        outputFile: path.join(outputs, 'executor_output.json'),
      },
    };
    const [program, ...rest] = [...container.command!, ...container.args!].map((word) => word.split('{{$}}').join(JSON.stringify(input)));
    const result = spawnSync(program!, rest, {
      cwd: emptyFolder,
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: scratch },
      encoding: 'utf8',
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(outputs, 'words'), 'utf8')).toBe('a\nstock\nnode\nimage\nruns\na\nbundled\nstep');
    expect(JSON.parse(fs.readFileSync(path.join(outputs, 'executor_output.json'), 'utf8'))).toEqual({
      parameterValues: { count: 8 },
      artifacts: { words: { artifacts: [{ name: 'words', uri: path.join(outputs, 'words'), metadata: { count: 8 } }] } },
    });
    // The empty folder stays empty: the step wrote only where its executor input told it to.
    expect(fs.readdirSync(emptyFolder)).toEqual([]);
    fs.rmSync(scratch, { recursive: true, force: true });
  });
});
