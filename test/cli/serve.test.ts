import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { ECHO_SERVER } from '../serving/fixtures/echo-model-pipeline';

/**
 * `kfp-ts serve --model`: one registered model version's serving command in the foreground, as its
 * container would run, without deploying it.
 */
const projectRoot = path.resolve(__dirname, '../..');
let stateDir: string;

beforeAll(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-serve-cli-'));
  const folder = path.join(stateDir, 'model');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'answer.txt'), 'from the cli');
  const registry = openLocalRegistry(stateDir);
  registry.models.upload({
    project: 'local',
    location: 'us-central1',
    displayName: 'echo',
    artifactUri: folder,
    containerSpec: { image_uri: 'echo:1', command: ['node', ECHO_SERVER], predict_route: '/predict' },
  });
  registry.models.upload({
    project: 'local',
    location: 'us-central1',
    displayName: 'no-command',
    containerSpec: { image_uri: 'team/server:1' },
  });
});

afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const write = (text: string) => void (output += text);
  const code = await main(argv, { stdout: write, stderr: write, cwd: projectRoot, isTTY: false });
  return { code, output };
}

it("runs a model version's serving command until SIGTERM, printing its predict route", async () => {
  const child = spawn(process.execPath, ['cli/bin/kfp-ts.js', 'serve', '--model', '1@1', '--state-dir', stateDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let url: string | undefined;
    for (let tries = 0; url === undefined; tries++) {
      if (tries > 300 || child.exitCode !== null) throw new Error(`kfp-ts serve --model did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      url = /Serving \S+ at (http:\/\/127\.0\.0\.1:\d+): POST \/predict/.exec(output)?.[1];
    }
    const response = await fetch(`${url}/predict`, { method: 'POST', body: JSON.stringify({ instances: ['q'] }) });
    const body = (await response.json()) as any;
    expect(body.predictions).toEqual([{ answer: 'from the cli', instance: 'q' }]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The serving command stopped with it.
    await expect(fetch(`${url}/predict`, { method: 'POST', body: '{}' })).rejects.toThrow();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 60_000);

it('refuses a model it cannot run or does not know, with the reason', async () => {
  const refused = await cli('serve', '--model', '2', '--state-dir', stateDir);
  expect(refused.code).toBe(1);
  expect(refused.output).toContain(
    'kfp-ts serve: cannot serve projects/local/locations/us-central1/models/2@1 on this machine: its containerSpec has no command',
  );
  const unknown = await cli('serve', '--model', '7', '--state-dir', stateDir);
  expect(unknown.code).toBe(1);
  expect(unknown.output).toContain('kfp-ts serve: model 7 is not in the local registry');
});
