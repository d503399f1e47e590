/**
 * The serving image keeps Vertex AI's custom-container contract: Vertex tells the container where
 * the model is and where to listen and answer only through AIP_* variables, and the start script
 * hands each of them to `kfp-ts serve` as an option that command accepts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { IMAGES } from '../../containers/images';
import { Dockerfile, envPairs, execForm } from './dockerfile';

const root = path.resolve(__dirname, '../..');
const dockerfile = new Dockerfile(path.join(root, IMAGES.serving.dockerfile));
const instructions = dockerfile.finalStage.instructions;
const env = Object.assign({}, ...instructions.filter((i) => i.keyword === 'ENV').map(envPairs)) as Record<string, string>;
const entrypoint = execForm(instructions.find((i) => i.keyword === 'ENTRYPOINT')!);
const script = fs.readFileSync(path.join(root, entrypoint[0]!.replace(/^\/app\//, '')), 'utf8');
/** `kfp-ts serve` and its options, as the start script runs it (continuation lines joined). */
const serveCommand = /^exec node cli\/bin\/kfp-ts\.js (serve .*)$/m.exec(script.replace(/\\\n\s*/g, ''))?.[1] ?? '';

async function serveUsage(): Promise<string> {
  let text = '';
  await main(['serve', '--help'], { stdout: (t) => { text += t; }, stderr: (t) => { text += t; }, cwd: root, isTTY: false });
  return text;
}

describe('the serving image', () => {
  test('defaults the AIP_* port and routes for a local docker run and exposes that port', () => {
    expect(env['AIP_HTTP_PORT']).toMatch(/^\d+$/);
    expect(env['AIP_HEALTH_ROUTE']).toMatch(/^\//);
    expect(env['AIP_PREDICT_ROUTE']).toMatch(/^\//);
    expect(instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.text)).toContain(env['AIP_HTTP_PORT']);
  });

  test('starts `kfp-ts serve` with the model location, port and routes Vertex gives, listening beyond loopback', () => {
    expect(serveCommand).not.toBe('');
    expect(serveCommand).toContain('--model "$AIP_STORAGE_URI"');
    expect(serveCommand).toContain('--port "${AIP_HTTP_PORT:-8080}"');
    expect(serveCommand).toContain('--health-route "${AIP_HEALTH_ROUTE:-/health}"');
    expect(serveCommand).toContain('--predict-route "${AIP_PREDICT_ROUTE:-/predict}"');
    expect(serveCommand).toContain('--host 0.0.0.0');
  });

  test('passes only options `kfp-ts serve` accepts', async () => {
    const usage = await serveUsage();
    const options = [...serveCommand.matchAll(/(--[a-z-]+)/g)].map((m) => m[1]!);
    expect(options.filter((option) => !usage.includes(option))).toEqual([]);
  });
});
