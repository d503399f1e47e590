import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError } from '../../../serving/endpoint-server/http-messages';
import { forwardPredict, type PredictLimits } from '../../../serving/endpoint-server/predict-proxy';

/**
 * A predict request passed on to a model within a timeout and a size limit: a model that hangs
 * (before or after its headers) gets the client a 504, one that answers too much a 502, and both
 * errors say which limit and how to change it.
 */
let model: http.Server;
let url: string;

/** Each route is one kind of model answer. */
function answer(route: string, response: http.ServerResponse): void {
  switch (route) {
    case '/hang':
      return; // never answers
    case '/stall':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"predictions": [');
      return;
    case '/declared':
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 5000 });
      response.end('x'.repeat(5000));
      return;
    case '/streamed':
      // Chunked, with no length to check up front, and more than the limit.
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 10; i++) response.write('x'.repeat(500));
      response.end();
      return;
    default:
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"predictions":[1]}');
  }
}

beforeAll(async () => {
  model = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(request.url ?? '/', response));
  });
  await new Promise<void>((resolve) => model.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(model.address() as AddressInfo).port}`;
});

afterAll(async () => {
  model.closeAllConnections();
  await new Promise((resolve) => model.close(resolve));
});

const limits: PredictLimits = { timeoutMs: 300, maxAnswerBytes: 1000 };
const ask = (route: string) =>
  forwardPredict(
    { url: `${url}${route}`, label: 'deployed model 1 (models/1@1)', logFile: '/tmp/model.log' },
    Buffer.from('{"instances":[1]}'),
    'application/json',
    limits,
  );

async function failure(route: string): Promise<HttpError> {
  const error = await ask(route).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

it('passes on an answer within the limits', async () => {
  const answer = await ask('/ok');
  expect(answer).toMatchObject({ status: 200, contentType: 'application/json' });
  expect(answer.body.toString()).toBe('{"predictions":[1]}');
});

it.each(['/hang', '/stall'])('answers 504 when the model does not finish its answer in time (%s)', async (route) => {
  const error = await failure(route);
  expect(error.status).toBe(504);
  expect(error.message).toBe(
    `deployed model 1 (models/1@1) did not answer POST ${route} within 0.3 s (Vertex's timeout on a shared public endpoint is 60 s); ` +
      "make it answer faster or send fewer instances per request, or raise the endpoint server's predictTimeoutMs; see its log /tmp/model.log",
  );
});

it('answers 502 naming the limit when the model declares a larger answer', async () => {
  const error = await failure('/declared');
  expect(error.status).toBe(502);
  expect(error.message).toContain(
    "deployed model 1 (models/1@1) answered POST /declared with 5000 bytes, the local endpoint's limit on a model's answer being 1000 bytes",
  );
  expect(error.message).toContain("raise the endpoint server's maxModelAnswerBytes");
});

it('answers 502 when a streamed answer grows past the limit, without reading the rest', async () => {
  const error = await failure('/streamed');
  expect(error.status).toBe(502);
  expect(error.message).toContain('answered POST /streamed with more than 1000 bytes (it was cut off there)');
});

it('answers 502 when nothing listens', async () => {
  const closed = await forwardPredict(
    { url: 'http://127.0.0.1:1/predict', label: 'deployed model 1', logFile: 'm.log' },
    Buffer.alloc(0),
    'application/json',
    limits,
  ).catch((thrown: unknown) => thrown);
  expect(closed).toBeInstanceOf(HttpError);
  expect((closed as HttpError).status).toBe(502);
  expect((closed as HttpError).message).toMatch(/^deployed model 1 did not answer POST \/predict: .*; see its log m\.log$/);
});
