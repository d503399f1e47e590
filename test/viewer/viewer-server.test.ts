/**
 * The viewer's HTTP server without a browser, over a store written in the test: containment of
 * served files (`..`, absolute paths, symlinks out of the root), errors as JSON with the right
 * status, the loopback Host check, methods, the CSP on pages and HTML artifacts, bounded logs and
 * request bodies.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';
import { MetadataStore } from '../../runner/mlmd/metadata-store';
import type { ArtifactView, LogView, RunsPage, RunView } from '../../viewer/server/api-types';
import { MAX_PREDICT_BODY } from '../../viewer/server/endpoints-view';
import { LOG_ALL_BYTES, LOG_TAIL_BYTES } from '../../viewer/server/task-view';
import { startViewerServer, type ViewerServer } from '../../viewer/server/viewer-server';
import { writeSmallStore, type SmallStore } from './support/small-store';

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A raw HTTP request (fetch cannot set Host), with an optional body. */
function request(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer },
): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = <T>(answer: Answer): T => JSON.parse(answer.body.toString('utf8')) as T;

describe('the viewer server', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-viewer-server-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-viewer-outside-'));
  // A log over the "all" limit, whose start and end are told apart.
  const log = Buffer.concat([Buffer.from('FIRST LINE\n'), Buffer.alloc(LOG_ALL_BYTES, 'x'), Buffer.from('\nLAST LINE\n')]);
  let small: SmallStore;
  let server: ViewerServer;
  let symlinkArtifact: number;
  const get = (route: string, headers?: Record<string, string>) => request(server.url, { path: route, ...(headers ? { headers } : {}) });

  beforeAll(async () => {
    small = writeSmallStore(folder, { log });
    const secret = path.join(outside, 'secret.txt');
    fs.writeFileSync(secret, 'SECRET');
    // A link inside the Model folder to a file outside the pipeline root, and a file artifact that is such a link.
    fs.symlinkSync(secret, path.join(small.runRoot, 'train', 'model', 'escape.txt'));
    fs.symlinkSync(secret, path.join(small.runRoot, 'train', 'linked-report.html'));
    const store = MetadataStore.open(small.metadataFile);
    symlinkArtifact = store.createArtifact({
      typeName: 'system.HTML',
      uri: path.join(small.runRoot, 'train', 'linked-report.html'),
      contextIds: [],
    });
    store.close();
    server = await startViewerServer({ metadataFile: small.metadataFile, pipelineRoots: [small.pipelineRoot], stateDir: folder });
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('serves the page with its CSP, and the runs and the run as JSON', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const runs = json<RunsPage>(await get('/api/runs?metrics=accuracy'));
    expect(runs.runs.map((run) => [run.runId, run.pipeline, run.state, run.metrics])).toEqual([
      [small.runId, 'demo', 'SUCCEEDED', { accuracy: 0.75 }],
    ]);
    const run = json<RunView>(await get(`/api/runs/${small.runId}`));
    expect(run.graph.nodes.map((node) => [node.path, node.state])).toEqual([['train', 'succeeded']]);
    expect(run.parameters).toEqual({ epochs: 2 });
  });

  it.each([
    ['/api/runs/no-such-run', 404, "no run 'no-such-run'"],
    ['/api/runs/no-such-run/events', 404, "no run 'no-such-run'"],
    ['/api/executions/abc', 400, "'abc' is not an id"],
    ['/api/executions/0', 400, "'0' is not an id"],
    ['/api/executions/99999', 404, 'no execution 99999'],
    ['/api/executions/99999/log', 404, 'no log for execution 99999'],
    ['/api/artifacts/99999', 404, 'no artifact 99999'],
    ['/api/artifacts/99999/lineage', 404, 'no artifact 99999'],
    ['/api/artifacts/1.5', 400, "'1.5' is not an id"],
    ['/api/runs?limit=-1', 400, 'limit must be a whole number'],
    ['/api/runs?state=DONE', 400, 'state must be one of'],
    ['/api/compare?runs=a', 400, 'compare takes 2 to 10 runs'],
    ['/api/nothing', 404, 'no API /api/nothing'],
    ['/nothing', 404, 'no page /nothing'],
    ['/api/runs/%E0%A4%A', 400, 'not a valid URL path segment'],
  ])('answers %s with %d and a JSON error', async (route, status, message) => {
    const answer = await get(route);
    expect([answer.status, answer.headers['content-type']]).toEqual([status, 'application/json; charset=utf-8']);
    expect(json<{ error: string }>(answer).error).toContain(message);
  });

  it('serves an artifact file under the root, and refuses .., absolute paths and links out of the root', async () => {
    const model = json<ArtifactView>(await get(`/api/artifacts/${small.ids.folder}`));
    expect(model.local).toBe(true);
    const ok = await get(`/api/artifacts/${small.ids.folder}/file?path=model.json`);
    expect([ok.status, ok.body.toString()]).toEqual([200, '{"format":"layers-model"}']);
    for (const bad of [
      '../report.html',
      '..%2Freport.html',
      encodeURIComponent(path.join(small.runRoot, 'train', 'report.html')),
      'escape.txt',
    ]) {
      const answer = await get(`/api/artifacts/${small.ids.folder}/file?path=${bad}`);
      expect([bad, answer.status]).toEqual([bad, 403]);
      expect(answer.body.toString()).not.toContain('SECRET');
    }
    expect(json<{ error: string }>(await get(`/api/artifacts/${small.ids.folder}/file?path=escape.txt`)).error).toContain(
      'is a link to a file outside the pipeline root',
    );
    // The listing leaves the escaping link out; the artifact that is itself such a link is not local.
    expect(model.files.map((file) => file.path)).toEqual(['model.json']);
    const linked = await get(`/api/artifacts/${symlinkArtifact}/file?path=`);
    expect(linked.status).toBe(404);
    expect(linked.body.toString()).not.toContain('SECRET');
    expect(json<ArtifactView>(await get(`/api/artifacts/${symlinkArtifact}`)).local).toBe(false);
  });

  it('serves an HTML artifact in a sandbox with no scripts, and never sniffed', async () => {
    const answer = await get(`/api/artifacts/${small.ids.html}/file?path=`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = answer.headers['content-security-policy'] as string;
    expect(csp.split(';').map((part) => part.trim())).toEqual(expect.arrayContaining(['sandbox', "default-src 'none'"]));
    expect(csp).not.toMatch(/script-src|allow-scripts|allow-same-origin/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it("returns a SlicedClassificationMetrics artifact's slices as the DSL wrote them", async () => {
    const view = json<ArtifactView>(await get(`/api/artifacts/${small.ids.sliced}`));
    expect(view.type).toBe('system.SlicedClassificationMetrics');
    expect(view.metadata).toEqual(small.slicedMetadata);
  });

  it("reads an executor log's tail, then its start, each bounded", async () => {
    const tail = json<LogView>(await get(`/api/executions/${small.taskExecutionId}/log`));
    expect([tail.size, tail.truncated, tail.text.length]).toEqual([log.length, true, LOG_TAIL_BYTES]);
    expect(tail.text.endsWith('\nLAST LINE\n')).toBe(true);
    const all = json<LogView>(await get(`/api/executions/${small.taskExecutionId}/log?all=1`));
    expect([all.size, all.truncated, all.text.length]).toEqual([log.length, true, LOG_ALL_BYTES]);
    expect(all.text.startsWith('FIRST LINE\n')).toBe(true);
  });

  it('refuses a request whose Host is not a loopback name (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    const refused = await get('/api/runs', { host: `attacker.example:${port}` });
    expect(refused.status).toBe(403);
    expect(json<{ error: string }>(refused).error).toContain('requests must address this server as 127.0.0.1 or localhost');
    expect(refused.body.toString()).not.toContain(small.runId);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
      expect([host, (await get('/api/runs', { host })).status]).toEqual([host, 200]);
  });

  it('answers only GET and HEAD, and POST only to predict', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const answer = await request(server.url, { method, path: `/api/runs/${small.runId}` });
      expect([method, answer.status]).toEqual([method, 405]);
      expect(json<{ error: string }>(answer).error).toContain('the viewer is read-only');
    }
    expect((await request(server.url, { method: 'HEAD', path: '/' })).status).toBe(200);
  });

  it('refuses a predict body over its limit with 413, before looking for the endpoint', async () => {
    // A declared Content-Length over the limit is refused before any of the body is read: the client
    // sends only the start of it, so the server closing the connection cannot fail a write (EPIPE).
    const declared = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const { hostname: host, port: declaredPort } = new URL(server.url);
      const req = http.request(
        {
          hostname: host,
          port: declaredPort,
          method: 'POST',
          path: '/api/endpoints/1/predict',
          headers: { 'content-type': 'application/json', 'content-length': String(MAX_PREDICT_BODY + 1024) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(1024, 'a'));
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).error).toBe(
      `the request body is ${MAX_PREDICT_BODY + 1024} bytes, over ${MAX_PREDICT_BODY} bytes; send fewer or smaller instances per request`,
    );
    // Without a Content-Length (chunked), once the limit is passed; the rest is never read.
    const { hostname, port } = new URL(server.url);
    const chunked = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { hostname, port, method: 'POST', path: '/api/endpoints/1/predict', headers: { 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      let answered = false;
      // Once the answer came, the server closing the connection under the rest of the upload is expected.
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const more = () => {
        // Sends one MiB at a time, each after the last was taken, and stops just past the limit:
        // the server must answer without the rest.
        if (answered || sent > MAX_PREDICT_BODY / chunk.length) return;
        sent++;
        req.write(chunk, () => more());
      };
      req.on('response', () => (answered = true));
      more();
    });
    expect([chunked.status, JSON.parse(chunked.text).error]).toEqual([
      413,
      'the request body is already over 8388608 bytes; send fewer or smaller instances per request',
    ]);
    // A body within the limit gets past it, to the endpoint lookup.
    const small404 = await request(server.url, { method: 'POST', path: '/api/endpoints/1/predict', body: Buffer.from('{}') });
    expect([small404.status, json<{ error: string }>(small404).error]).toEqual([
      404,
      "no local endpoint '1'; see the endpoints page or kfp-ts endpoints list",
    ]);
  });
});

describe('opening a store', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-viewer-open-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));
  const start = (metadataFile: string) => startViewerServer({ metadataFile, pipelineRoots: [folder], stateDir: folder });

  it('names a missing store and how to make one', async () => {
    const missing = path.join(folder, 'none.sqlite');
    const error = await start(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KfpTsError);
    expect((error as Error).message).toBe(
      `ML Metadata store ${missing} does not exist: run a pipeline first (kfp-ts run …), or pass the store with --metadata FILE`,
    );
  });

  it('refuses a SQLite file that is not an ML Metadata store, and a file that is not SQLite', async () => {
    const other = path.join(folder, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    const error = await start(other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KfpTsError);
    expect((error as Error).message).toMatch(
      new RegExp(`^ML Metadata store ${other}: not an ML Metadata store \\(missing table\\(s\\) Type, `),
    );
    const text = path.join(folder, 'notes.txt');
    fs.writeFileSync(text, 'just some text, long enough to not be an empty database file'.repeat(20));
    const notSqlite = await start(text).catch((e: unknown) => e);
    expect(notSqlite).toBeInstanceOf(KfpTsError);
    expect((notSqlite as Error).message).toBe(`ML Metadata store ${text}: file is not a database (is it an ML Metadata SQLite file?)`);
  });
});
