import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKEND_VARIABLE, servingSettings } from '../../../../components/image-classifier/prediction-server/serve-from-environment';
import { SERVING_HOST_VARIABLE, freeLoopbackPort } from '../../../../serving/model-server/model-process';
import { makeColourBundle, solidPng } from './colour-bundle';

/**
 * kfp-ts-classifier-server, the demo model's serving command: configured only by the AIP_*
 * variables Vertex sets (and the local stand-in sets the same way), as a custom container is.
 */
const BIN = path.resolve(__dirname, '../../../../components/image-classifier/prediction-server/bin/kfp-ts-classifier-server.js');
const packageJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../components/image-classifier/package.json'), 'utf8'));

describe('servingSettings', () => {
  it("reads the bundle, port and routes from AIP_*, with a docker run's defaults and Vertex's 0.0.0.0", () => {
    expect(servingSettings({ AIP_STORAGE_URI: 'gs://b/m' })).toEqual({
      storageUri: 'gs://b/m',
      port: 8080,
      predictRoute: '/predict',
      healthRoute: '/health',
      host: '0.0.0.0',
      backend: 'wasm',
    });
    expect(
      servingSettings({
        AIP_STORAGE_URI: '/m',
        AIP_HTTP_PORT: '9001',
        AIP_PREDICT_ROUTE: '/p',
        AIP_HEALTH_ROUTE: '/h',
        [SERVING_HOST_VARIABLE]: '127.0.0.1',
        [BACKEND_VARIABLE]: 'cpu',
      }),
    ).toEqual({ storageUri: '/m', port: 9001, predictRoute: '/p', healthRoute: '/h', host: '127.0.0.1', backend: 'cpu' });
  });

  it('names the variable that is wrong', () => {
    expect(() => servingSettings({})).toThrow("AIP_STORAGE_URI is empty: Vertex sets it from the model's artifactUri");
    expect(() => servingSettings({ AIP_STORAGE_URI: '/m', AIP_HTTP_PORT: 'http' })).toThrow("AIP_HTTP_PORT='http' is not a port number");
  });
});

describe('the bin', () => {
  jest.setTimeout(60_000);

  it('is the package bin, executable, and exits 1 with the reason when AIP_STORAGE_URI is missing', () => {
    expect(path.resolve(path.dirname(BIN), '../..', packageJson.bin['kfp-ts-classifier-server'])).toBe(BIN);
    expect(fs.statSync(BIN).mode & 0o111).not.toBe(0);
    const result = spawnSync(process.execPath, [BIN], { env: { PATH: process.env['PATH'] }, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('kfp-ts-classifier-server: AIP_STORAGE_URI is empty');
  });

  it('serves the bundle of AIP_STORAGE_URI on AIP_HTTP_PORT and the AIP routes, and stops on SIGTERM', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-classifier-bin-'));
    const bundle = await makeColourBundle(work, { gain: 10 });
    const port = await freeLoopbackPort();
    const routes = { AIP_PREDICT_ROUTE: '/v1/endpoints/7/deployedModels/3:predict', AIP_HEALTH_ROUTE: '/v1/endpoints/7/deployedModels/3' };
    const child = spawn(BIN, [], {
      env: {
        PATH: process.env['PATH'],
        AIP_STORAGE_URI: bundle,
        AIP_HTTP_PORT: String(port),
        [SERVING_HOST_VARIABLE]: '127.0.0.1',
        ...routes,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let tries = 0; !output.includes('serving '); tries++) {
        if (tries > 400 || child.exitCode !== null) throw new Error(`the bin did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect((await fetch(url + routes.AIP_HEALTH_ROUTE)).status).toBe(200);
      const image = (await solidPng(250, 10, 10)).toString('base64');
      const response = await fetch(url + routes.AIP_PREDICT_ROUTE, {
        method: 'POST',
        body: JSON.stringify({ instances: [{ b64: image }] }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as any).predictions[0].displayNames[0]).toBe('red');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
