/**
 * `npm run bench:serving`: a bounded load test of the local prediction server on loopback.
 * The endpoint server runs in its own process (`kfp-ts serve`, as ModelDeployOp starts it) in front
 * of the demo model's serving command (kfp-ts-classifier-server with the demo's CNN: default
 * options, 32×32 input, 3 classes); C concurrent keep-alive clients send a fixed
 * number of requests. Measured side by side in the same run:
 *   1. baseline: a trivial Node http server in its own process answering a fixed JSON (the floor
 *      set by HTTP, JSON and loopback);
 *   2. predict with 1 image per request (b64 PNG);
 *   3. predict with 8 images per request.
 * Options: --requests=N (default 2000), --concurrency=C (default 8), --warmup=N (default 50).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { labelMapJson, modelJson } from '../components/image-classifier/evaluate/model-files';
import { writeServingBundle } from '../components/image-classifier/serving-bundle/bundle-layout';
import { chooseTrainingBackend } from '../components/image-classifier/train/backend-choice';
import { DEFAULT_CNN, buildCnn } from '../components/image-classifier/train/cnn';
import { preprocessingFor, saveTrainedModel } from '../components/image-classifier/train/trained-model';
import { openLocalRegistry } from '../serving/registry/local-registry';
import { predictPath } from '../serving/vertex-resource-names';
import { numericOption } from './options';

const REQUESTS = numericOption('requests', 2000);
const CONCURRENCY = numericOption('concurrency', 8);
const WARMUP = numericOption('warmup', 50);
const IMAGE_SIZE = 32;
const LABELS = ['checker', 'ring', 'stripes'];

/** A registry with one endpoint serving an (untrained: the cost is the same) demo-sized CNN. */
async function deployDemoSizedModel(stateDir: string): Promise<string> {
  await chooseTrainingBackend('wasm');
  const model = buildCnn({ ...DEFAULT_CNN, imageSize: IMAGE_SIZE, numClasses: LABELS.length, seed: 1 });
  const modelDir = path.join(stateDir, 'model');
  await saveTrainedModel(modelDir, { model, labels: LABELS, preprocessing: preprocessingFor(IMAGE_SIZE) });
  model.dispose();
  const cardDir = path.join(stateDir, 'card');
  fs.mkdirSync(cardDir);
  fs.writeFileSync(
    path.join(cardDir, 'model.json'),
    modelJson({ labels: LABELS, tau: 0.8, margin: 0.05, temperature: 1.3, top1: 0.9, top3: 1, ece: 0.05 }),
  );
  fs.writeFileSync(path.join(cardDir, 'label_map.json'), labelMapJson(LABELS));
  const bundle = path.join(stateDir, 'bundle');
  writeServingBundle(bundle, modelDir, cardDir);
  const registry = openLocalRegistry(stateDir);
  // The demo's serving command: the endpoint server runs it and forwards each request to it, as a deployment does.
  const containerSpec = {
    image_uri: 'kfp-ts-serving:latest',
    command: ['kfp-ts-classifier-server'],
    predict_route: '/predict',
    health_route: '/health',
  };
  const version = registry.models.upload({
    project: 'local',
    location: 'us-central1',
    displayName: 'bench',
    artifactUri: bundle,
    containerSpec,
  });
  const endpoint = registry.endpoints.create({ project: 'local', location: 'us-central1', displayName: 'bench' });
  registry.endpoints.deploy(endpoint.name, version.name, {});
  return endpoint.name;
}

/** Starts a process and resolves with the first `http://…` URL it prints. */
function startProcess(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/[\d.]+:\d+/.exec(output)?.[0];
      if (url) resolve({ child, url });
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before printing its address:\n${output}`)));
  });
}

/** SIGTERM, then waits for the exit (SIGKILL after 10 s), so the state folder can be deleted after it. */
async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const BASELINE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ predictions: [{ ids: ['0', '1', '2'], displayNames: ['checker', 'ring', 'stripes'], confidences: [0.7, 0.2, 0.1], label: 'checker', abstained: false, margin: 0.5 }], deployedModelId: '1' });
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
}).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); });
`;

interface LoadResult {
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly errors: number;
}

/** `total` POSTs of `body` from `concurrency` keep-alive clients; latency of each, and the wall time. */
async function load(url: string, body: string, total: number, concurrency: number): Promise<LoadResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let errors = 0;
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            latenciesMs.push(performance.now() - started);
            if (response.statusCode !== 200) errors++;
            resolve();
          });
        },
      );
      request.on('error', () => {
        errors++;
        resolve();
      });
      request.end(body);
    });
  const client = async () => {
    while (sent < total) {
      sent++;
      await one();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, latenciesMs, errors };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-serving-'));
  const endpoint = await deployDemoSizedModel(stateDir);
  const png = await sharp(Buffer.from(Array.from({ length: IMAGE_SIZE * IMAGE_SIZE * 3 }, (_, i) => (i * 37) % 256)), {
    raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 3 },
  })
    .png()
    .toBuffer();
  const instances = (n: number) => JSON.stringify({ instances: Array.from({ length: n }, () => ({ b64: png.toString('base64') })) });

  const rows: string[][] = [['scenario', 'requests/s', 'images/s', 'p50 ms', 'p99 ms', 'errors']];
  let server: { child: ChildProcess; url: string } | undefined;
  let baseline: { child: ChildProcess; url: string } | undefined;
  try {
    // Both start inside the try: a baseline that fails to start must not leave the model server running.
    server = await startProcess(['cli/bin/kfp-ts.js', 'serve', '--state-dir', stateDir]);
    baseline = await startProcess(['-e', BASELINE_SERVER]);
    const scenarios = [
      { name: 'baseline: fixed JSON', url: baseline.url, body: instances(1), images: 1 },
      { name: 'predict, 1 image/request', url: server.url + predictPath(endpoint), body: instances(1), images: 1 },
      { name: 'predict, 8 images/request', url: server.url + predictPath(endpoint), body: instances(8), images: 8 },
    ];
    console.log(
      `Load test on loopback: ${REQUESTS} requests per row, ${CONCURRENCY} concurrent keep-alive clients, after ${WARMUP} warm-up requests`,
    );
    console.log(
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; model: demo CNN (${DEFAULT_CNN.blocks} conv blocks from ${DEFAULT_CNN.filters} filters, ${IMAGE_SIZE}×${IMAGE_SIZE}), tfjs wasm\n`,
    );
    for (const scenario of scenarios) {
      await load(scenario.url, scenario.body, WARMUP, CONCURRENCY);
      const result = await load(scenario.url, scenario.body, REQUESTS, CONCURRENCY);
      const sorted = [...result.latenciesMs].sort((a, b) => a - b);
      const rate = REQUESTS / result.seconds;
      rows.push([
        scenario.name,
        rate.toFixed(0),
        (rate * scenario.images).toFixed(0),
        percentile(sorted, 50).toFixed(2),
        percentile(sorted, 99).toFixed(2),
        String(result.errors),
      ]);
    }
  } finally {
    await Promise.all([stopProcess(server?.child), stopProcess(baseline?.child)]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
