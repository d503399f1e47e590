/**
 * `kfp-ts ui` in a real headless Chromium (@sparticuz/chromium, unpacked from its npm package; no
 * download): the image classifier's runs on a tiny data set, the graph, the confusion matrix, the
 * model's lineage, two runs compared, and a running pipeline's node turning green without a reload.
 * Screenshots go to test-output/viewer/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { compilePipeline, containerComponent, pipeline, t } from '../../compiler';
import { makeDemoImageSet } from '../../components/image-classifier/demo-data/make-demo-image-set';
import imageClassifier from '../../pipelines/image-classifier';
import { runPipeline, type RunResult } from '../../runner/run-pipeline';
import { stopDetachedServer } from '../../serving/detached-server';
import { gcpcLocalLaunchers } from '../../serving/gcpc-launchers';
import { startViewerServer, type ViewerServer } from '../../viewer/server/viewer-server';
import { classifierCompileOptions, putClassifierCommandsOnPath, repoRoot } from '../support/classifier-compile-options';

const screenshots = path.join(repoRoot, 'test-output', 'viewer');

const waitForFile = containerComponent({
  name: 'wait-for-file',
  inputs: { file: t.string() },
  image: 'node:20-slim',
  command: ({ inputs }) => ['sh', '-c', 'while [ ! -f "$0" ]; do sleep 0.1; done', inputs.file],
});

const waiting = pipeline({ name: 'waits-for-a-file', params: { file: t.string() } }, ({ file }) => {
  waitForFile({ file });
});

describe('kfp-ts ui in a browser', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-viewer-'));
  const metadataFile = path.join(root, 'metadata.sqlite');
  const pipelineRoot = path.join(root, 'outputs');
  let first: RunResult;
  let second: RunResult;
  let server: ViewerServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(screenshots, { recursive: true });
    const images = await makeDemoImageSet({
      dir: path.join(root, 'images'),
      classes: ['stripes', 'checker', 'ring'],
      perClass: 16,
      size: 24,
      seed: 3,
    });
    putClassifierCommandsOnPath();
    const spec = compilePipeline(imageClassifier, classifierCompileOptions());
    const options = (epochs: number) => ({
      parameters: { manifest: images.manifestPath, imageSize: 16, epochs, minTop1: 0, maxEce: 1, maxBadFraction: 0.2 },
      pipelineRoot,
      metadataFile,
      localLaunchers: gcpcLocalLaunchers,
      workingDirectory: repoRoot,
    });
    first = await runPipeline(spec, options(2));
    second = await runPipeline(spec, options(3));
    expect([first.state, first.error, first.tasks.filter((t) => t.state === 'failed')]).toEqual(['SUCCEEDED', undefined, []]);
    expect([second.state, second.error]).toEqual(['SUCCEEDED', undefined]);
    server = await startViewerServer({ metadataFile, pipelineRoots: [pipelineRoot], stateDir: root, pollMs: 150 });
    browser = await puppeteer.launch({
      executablePath: await chromium.executablePath(),
      args: [
        ...chromium.args,
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
      headless: true,
      defaultViewport: { width: 1280, height: 900 },
    });
    page = await browser.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stopDetachedServer(root);
  });

  const open = async (hash: string) => {
    await page.goto(`${server.url}${hash}`);
    await page.waitForSelector('main[data-loading="false"]');
    const error = await page.$eval('main', (main) => main.querySelector('.error')?.textContent ?? null);
    expect(error).toBeNull();
  };
  const shoot = (name: string) => page.screenshot({ path: path.join(screenshots, `viewer-${name}.png`), fullPage: true });

  it('lists the runs, newest first', async () => {
    await open('#/runs?metrics=top1');
    const runIds = await page.$$eval('tr[data-run]', (rows) => rows.map((row) => row.getAttribute('data-run')));
    expect(runIds).toEqual([second.runId, first.runId]);
    await shoot('runs');
  });

  it("shows the run's graph with every task and its state", async () => {
    await open(`#/run/${encodeURIComponent(first.runId)}`);
    await page.waitForSelector('svg[data-testid="dag"]');
    const nodes = Object.fromEntries(
      await page.$$eval('svg [data-path]', (all) => all.map((n) => [n.getAttribute('data-path'), n.getAttribute('data-state')])),
    );
    for (const task of first.tasks) expect([task.path, nodes[task.path]]).toEqual([task.path, task.state]);
    expect(nodes['condition-1']).toBe('succeeded');
    await shoot('run');
    // The second run reused the first's preprocess from the cache (same data, same parameters).
    await open(`#/run/${encodeURIComponent(second.runId)}`);
    await page.waitForSelector('svg[data-testid="dag"]');
    expect(await page.$eval('svg [data-path="preprocess"]', (n) => n.getAttribute('data-state'))).toBe('cached');
  });

  it('opens a task: its cache hit, command and log', async () => {
    const preprocess = second.tasks.find((task) => task.path === 'preprocess')!;
    expect(preprocess.state).toBe('cached');
    await open(`#/run/${encodeURIComponent(first.runId)}`);
    await page.waitForSelector('svg [data-path="train"]');
    await page.click('svg [data-path="train"]');
    await page.waitForSelector('[data-testid="log"]');
    expect(await page.$eval('[data-testid="fingerprint"]', (n) => n.textContent)).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.$eval('pre.command', (n) => n.textContent)).toContain('exec-component');
    await shoot('task');
  });

  it("renders evaluate's ClassificationMetrics as a confusion matrix matching its metadata", async () => {
    const classification = first.artifacts['classification']![0]!;
    const rows = (classification.artifact.metadata as { confusionMatrix: { rows: { row: number[] }[] } }).confusionMatrix.rows;
    await open(`#/artifact/${classification.id}`);
    const cells = await page.$$eval('[data-testid="confusion-matrix"] td', (tds) =>
      tds.map((td) => [Number(td.getAttribute('data-row')), Number(td.getAttribute('data-col')), Number(td.textContent)]),
    );
    expect(cells).toEqual(rows.flatMap((r, i) => r.row.map((value, j) => [i, j, value])));
    expect(await page.$$('svg.chart')).not.toHaveLength(0);
    await shoot('classification-metrics');
    await open(`#/artifact/${first.artifacts['metrics']![0]!.id}`);
    await shoot('metrics');
  });

  it("follows the model's lineage back to the Dataset", async () => {
    await open(`#/lineage/${first.artifacts['model']![0]!.id}`);
    await page.waitForSelector('svg[data-testid="lineage"]');
    const types = await page.$$eval('[data-artifact-type]', (all) => all.map((n) => n.getAttribute('data-artifact-type')));
    expect(types).toContain('system.Dataset');
    await shoot('lineage');
    await page.click('[data-artifact-type="system.Dataset"]');
    await page.waitForFunction(
      `location.hash.startsWith('#/lineage/') && (document.querySelector('main[data-loading="false"] h1')?.textContent ?? '').includes('system.Dataset')`,
    );
  });

  it('compares the two runs and highlights their different epochs', async () => {
    await open(`#/compare?runs=${encodeURIComponent(first.runId)},${encodeURIComponent(second.runId)}`);
    const differing = await page.$$eval('[data-testid="compare-parameters"] tr.diff', (rows) =>
      rows.map((row) => row.getAttribute('data-name')),
    );
    expect(differing).toEqual(['epochs']);
    await shoot('compare');
  });

  it('lists the endpoint the gate deployed to', async () => {
    await open('#/endpoints');
    expect(await page.$$('[data-endpoint]')).toHaveLength(1);
    await shoot('endpoints');
  });

  it("turns a running task's node from running to succeeded without a reload", async () => {
    const release = path.join(root, 'release');
    let runId = '';
    const running = runPipeline(compilePipeline(waiting), {
      parameters: { file: release },
      pipelineRoot,
      metadataFile,
      reporter: { runStarted: (info) => (runId = info.runId), task: () => {}, runFinished: () => {} },
    });
    const node = 'svg [data-path="wait-for-file"]';
    for (let i = 0; i < 100 && !runId; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await open(`#/run/${encodeURIComponent(runId)}`);
    const nodeIs = (state: string) =>
      `document.querySelector(${JSON.stringify(node)})?.getAttribute('data-state') === ${JSON.stringify(state)}`;
    await page.waitForFunction(nodeIs('running'), { timeout: 20_000 });
    await page.evaluate('window.notReloaded = true');
    fs.writeFileSync(release, '');
    await page.waitForFunction(nodeIs('succeeded'), { timeout: 20_000 });
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect((await running).state).toBe('SUCCEEDED');
  }, 60_000);
});
