import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { logitsPredictor } from '../../../../components/image-classifier/evaluate/predict-split';
import { softmaxRows } from '../../../../components/image-classifier/evaluate/probability-rows';
import { loadTrainedModel } from '../../../../components/image-classifier/train/trained-model';
import { MAX_IMAGE_PIXELS } from '../../../../components/image-classifier/prediction-server/predict-request';
import { startPredictionServer, type PredictionServer } from '../../../../components/image-classifier/prediction-server/prediction-server';
import { COLOUR_LABELS, COLOUR_SIZE, makeColourBundle, solidPixels, solidPng } from './colour-bundle';

/**
 * The classifier's prediction server on one serving bundle, on Vertex's custom-container routes
 * (here /predict and /health, the demo's; the bin's test gives other ones through AIP_*).
 */
let workDir: string;
let server: PredictionServer;
let predictUrl: string;
let bundle: string;
const TEMPERATURE = 2;

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-serving-'));
  bundle = await makeColourBundle(path.join(workDir, 'v1'), { gain: 10, tau: 0.6, margin: 0.2, temperature: TEMPERATURE });
  server = await startPredictionServer({ bundleDir: bundle, maxInstances: 8 });
  predictUrl = `${server.url}/predict`;
}, 30_000);

afterAll(async () => {
  await server?.close();
});

const post = async (body: unknown, raw = false) => {
  const response = await fetch(predictUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
};
const b64 = (bytes: Buffer) => ({ b64: bytes.toString('base64') });
/** A JPEG cut after its headers: its metadata reads, its pixels do not. */
const truncatedJpeg = async () => {
  const noise = Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251));
  const jpeg = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } })
    .jpeg()
    .toBuffer();
  return jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
};

it('returns calibrated top-k confidences equal to the evaluate path (logits / temperature, softmax) for the same model', async () => {
  const images = [await solidPng(200, 30, 30), await solidPng(40, 180, 60), await solidPng(128, 128, 140)];
  const { status, body } = await post({ instances: images.map(b64) });
  expect(status).toBe(200);
  const trained = await loadTrainedModel(path.join(bundle, 'classifier'));
  const predictor = await logitsPredictor(trained.model);
  const { logits } = await predictor.predict(
    images.map((encoded, i) => ({ encoded, label: 0, filename: `${i}` })),
    { imageSize: COLOUR_SIZE, batchSize: 3 },
  );
  const expected = softmaxRows(logits, 3, TEMPERATURE);
  trained.model.dispose();
  expect(body.predictions).toHaveLength(3);
  body.predictions.forEach((prediction: any, i: number) => {
    const row = Array.from(expected.subarray(i * 3, i * 3 + 3));
    const order = [0, 1, 2].sort((a, b) => row[b]! - row[a]!);
    expect(prediction.ids).toEqual(order.map(String));
    expect(prediction.displayNames).toEqual(order.map((k) => COLOUR_LABELS[k]));
    prediction.confidences.forEach((c: number, j: number) => expect(c).toBeCloseTo(row[order[j]!]!, 12));
  });
  expect(body.predictions[0].displayNames[0]).toBe('red');
  expect(body.predictions[1].displayNames[0]).toBe('green');
  // Vertex (or the local endpoint server) adds the deployed model's fields; the container answers only these.
  expect(Object.keys(body)).toEqual(['predictions']);
});

it('applies tau and margin: a clear colour is labelled, a near-grey image is "uncertain"', async () => {
  const { body } = await post({ instances: [b64(await solidPng(255, 0, 0)), b64(await solidPng(130, 128, 128))] });
  const [clear, grey] = body.predictions;
  expect(clear.confidences[0]).toBeGreaterThanOrEqual(0.6);
  expect(clear).toMatchObject({ label: 'red', abstained: false });
  expect(clear.margin).toBeCloseTo(clear.confidences[0] - clear.confidences[1], 12);
  expect(grey.displayNames[0]).toBe('red');
  expect(grey.confidences[0]).toBeLessThan(0.6);
  expect(grey).toMatchObject({ label: 'uncertain', abstained: true });
});

it('accepts Vertex image instances as {"content": …} and pixel arrays, giving the same predictions as b64', async () => {
  const png = await solidPng(20, 40, 220);
  const { status, body } = await post({
    instances: [b64(png), { content: png.toString('base64'), mimeType: 'image/png' }, solidPixels(20, 40, 220)],
  });
  expect(status).toBe(200);
  expect(body.predictions[1]).toEqual(body.predictions[0]);
  expect(body.predictions[2]).toEqual(body.predictions[0]);
  expect(body.predictions[0].label).toBe('blue');
});

it('honours maxPredictions and confidenceThreshold', async () => {
  const image = b64(await solidPng(255, 0, 0));
  const top1 = await post({ instances: [image], parameters: { maxPredictions: 1 } });
  expect(top1.body.predictions[0].displayNames).toEqual(['red']);
  const confident = await post({ instances: [image], parameters: { confidenceThreshold: 0.2 } });
  expect(confident.body.predictions[0].confidences.every((c: number) => c >= 0.2)).toBe(true);
  expect(confident.body.predictions[0].confidences.length).toBeLessThan(3);
});

describe('malformed requests get 400 with the reason', () => {
  const png = () => solidPng(1, 2, 3);
  it.each([
    ['bad JSON', async () => '{"instances": [', 'the request body is not valid JSON'],
    ['no instances', async () => ({ inputs: [] }), 'the request has no "instances"'],
    ['instances not a list', async () => ({ instances: 'abc' }), '"instances" must be a list, got the string "abc"'],
    ['empty instances', async () => ({ instances: [] }), '"instances" is empty'],
    [
      'too many instances',
      async () => ({ instances: Array.from({ length: 9 }, () => b64(Buffer.from('x'))) }),
      'too many instances: 9, at most 8 per request; split the request',
    ],
    [
      'wrong pixel shape',
      async () => ({ instances: [solidPixels(1, 2, 3, COLOUR_SIZE + 1)] }),
      `instances[0] has the wrong shape: expected ${COLOUR_SIZE}×${COLOUR_SIZE}×3`,
    ],
    [
      'pixel values out of range',
      async () => ({ instances: [solidPixels(300, 2, 3)] }),
      'instances[0] holds 300; pixel values are integers 0–255',
    ],
    ['no image field', async () => ({ instances: [{ image: 'x' }] }), 'instances[0] has neither "b64" nor "content" (keys: image)'],
    ['invalid base64', async () => ({ instances: [{ b64: '***' }] }), 'instances[0].b64 is not valid base64'],
    [
      'undecodable image',
      async () => ({ instances: [b64(await png()), { b64: Buffer.from('not an image at all').toString('base64') }] }),
      'instances[1].b64 is not an image that can be decoded',
    ],
    [
      'truncated image',
      async () => ({ instances: [b64((await png()).subarray(0, 60))] }),
      'instances[0].b64 is not an image that can be decoded',
    ],
    ['truncated JPEG body', async () => ({ instances: [b64(await truncatedJpeg())] }), 'instances[0] is not an image that can be decoded'],
    [
      'image over the pixel limit',
      async () => ({
        instances: [
          b64(
            await sharp({ create: { width: 4097, height: 4096, channels: 3, background: { r: 200, g: 30, b: 30 } } })
              .png()
              .toBuffer(),
          ),
        ],
      }),
      `instances[0].b64 is a 4097×4096 image (16781312 pixels), over the limit of ${MAX_IMAGE_PIXELS} pixels (4096×4096)`,
    ],
    [
      'bad parameters',
      async () => ({ instances: [b64(await png())], parameters: { maxPredictions: 0 } }),
      'parameters.maxPredictions must be a whole number ≥ 1',
    ],
  ])('%s', async (_name, body, reason) => {
    const value = await body();
    const { status, body: answer } = await post(value, typeof value === 'string');
    expect(status).toBe(400);
    expect(answer.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    expect(answer.error.message).toContain(reason);
  });
});

describe('request bodies over the limit', () => {
  const LIMIT = 1024 * 1024;
  let small: PredictionServer;
  beforeAll(async () => {
    small = await startPredictionServer({ bundleDir: bundle, maxBodyBytes: LIMIT });
  });
  afterAll(async () => {
    await small?.close();
  });
  const url = () => small.url + new URL(predictUrl).pathname;

  it('are refused with 413 from their content-length, before any of the body is sent', async () => {
    const answer = await new Promise<{ status: number; body: any; connection: string | undefined }>((resolve, reject) => {
      const request = http.request(url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(LIMIT + 1) },
      });
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (t: string) => (text += t));
        response.on('end', () =>
          resolve({ status: response.statusCode!, body: JSON.parse(text), connection: response.headers.connection }),
        );
      });
      request.on('error', reject);
      request.flushHeaders(); // headers only: the server must answer without waiting for the body
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error.message).toContain(`the request body is ${LIMIT + 1} bytes, over ${LIMIT} bytes`);
    expect(answer.connection).toBe('close');
  });

  it('stop being read once a chunked upload passes the limit: the server answers 413 and closes the connection', async () => {
    const total = 64 * LIMIT;
    // A raw socket, so that nothing on the client side ends the upload when the answer arrives.
    const outcome = await new Promise<{ written: number; answer: string }>((resolve) => {
      const { hostname, port, pathname } = new URL(url());
      const socket = net.connect(Number(port), hostname);
      const chunk = Buffer.concat([Buffer.from(`${(64 * 1024).toString(16)}\r\n`), Buffer.alloc(64 * 1024, 0x20), Buffer.from('\r\n')]);
      let written = 0;
      let answer = '';
      socket.on('data', (data: Buffer) => (answer += data.toString('utf8')));
      socket.on('error', () => {});
      socket.on('close', () => resolve({ written, answer }));
      // Keeps sending after the answer: only the server closing the connection stops it short of `total`.
      const pump = () => {
        while (!socket.destroyed && written < total) {
          written += 64 * 1024;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
        if (!socket.destroyed) socket.end('0\r\n\r\n');
      };
      socket.once('connect', () => {
        socket.write(
          `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        );
        pump();
      });
    });
    expect(outcome.written).toBeLessThan(total / 2);
    // The answer is sent before the close; a reset can still overtake it on the client, so it is checked when it arrived.
    if (outcome.answer !== '') expect(outcome.answer).toMatch(/^HTTP\/1\.1 413 /);
    // The server goes on serving.
    expect((await fetch(`${small.url}/health`)).status).toBe(200);
  });
});

it('under 8 concurrent clients every truncated JPEG gets 400 and every good image 200 (the decision is per request)', async () => {
  // libvips' error text is process-wide: concurrent failures mix their messages, which once turned some 400s into 500s.
  const truncated = b64(await truncatedJpeg());
  const good = b64(await solidPng(200, 30, 30));
  const statuses = await Promise.all(
    Array.from({ length: 8 }, async (_, client) => {
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) {
        const bad = (client + i) % 3 !== 0;
        const { status, body } = await post({ instances: bad ? [good, truncated] : [good] });
        seen.push(`${bad ? 'truncated' : 'good'} ${status}${status === 400 ? ` ${body.error.message.split(' (')[0]}` : ''}`);
      }
      return seen;
    }),
  );
  const counts: Record<string, number> = {};
  for (const line of statuses.flat()) counts[line] = (counts[line] ?? 0) + 1;
  expect(counts).toEqual({ 'good 200': 32, 'truncated 400 instances[1] is not an image that can be decoded': 64 });
}, 60_000);

it('answers 404 for another path, 405 for a wrong method, and 200 on the health route', async () => {
  const elsewhere = await fetch(`${server.url}/v1/endpoints/1:predict`, { method: 'POST', body: '{}' });
  expect(elsewhere.status).toBe(404);
  expect(((await elsewhere.json()) as any).error.message).toBe('no such path /v1/endpoints/1:predict; predict with POST /predict');
  expect((await fetch(predictUrl)).status).toBe(405);
  // Exactly this: no path of the bundle (or anything else about the machine) for whoever can reach the port.
  expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
});

it('serves on the routes it is given', async () => {
  const other = await startPredictionServer({ bundleDir: bundle, predictRoute: '/v1/models/m:predict', healthRoute: '/ping' });
  try {
    const image = b64(await solidPng(255, 0, 0));
    const response = await fetch(`${other.url}/v1/models/m:predict`, { method: 'POST', body: JSON.stringify({ instances: [image] }) });
    expect(((await response.json()) as any).predictions).toEqual((await post({ instances: [image] })).body.predictions);
    expect((await fetch(`${other.url}/ping`)).status).toBe(200);
    expect((await fetch(`${other.url}/predict`, { method: 'POST', body: '{}' })).status).toBe(404);
  } finally {
    await other.close();
  }
});
