import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compilePipeline } from '../../compiler';
import { makeDemoImageSet } from '../../components/image-classifier/demo-data/make-demo-image-set';
import imageClassifier from '../../pipelines/image-classifier';
import { runPipeline } from '../../runner/run-pipeline';
import { gcpcLocalLaunchers } from '../../serving/gcpc-launchers';
import { runningServer, stopDetachedServer } from '../../serving/detached-server';
import { openLocalRegistry } from '../../serving/registry/local-registry';
import { predictPath } from '../../serving/vertex-resource-names';
import { classifierCompileOptions, putClassifierCommandsOnPath, repoRoot } from '../support/classifier-compile-options';

describe('pipelines/image-classifier.ts end to end on a tiny data set', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-image-classifier-'));
  afterAll(async () => {
    await stopDetachedServer(root);
  });

  it('preprocesses, trains, evaluates, gates, deploys to a local endpoint that predicts, and a second run is served from the cache', async () => {
    const images = await makeDemoImageSet({
      dir: path.join(root, 'images'),
      classes: ['stripes', 'checker', 'ring'],
      perClass: 16,
      size: 24,
      seed: 3,
    });
    const options = {
      parameters: { manifest: images.manifestPath, imageSize: 16, epochs: 3, minTop1: 0, maxEce: 1, maxBadFraction: 0.2 },
      pipelineRoot: path.join(root, 'outputs'),
      metadataFile: path.join(root, 'metadata.sqlite'),
      // As the CLI runs it: the deploy serves the model with its serving command, kfp-ts-classifier-server.
      localLaunchers: gcpcLocalLaunchers,
      // Containerized steps (`kfp-ts exec-component components/image-classifier/…`) run on this
      // machine from the project folder, as in their images from /app.
      workingDirectory: repoRoot,
    };
    // As `kfp-ts run pipelines/image-classifier.ts` does: the images from kfp-ts.config.ts, and
    // `kfp-ts` on PATH for the containerized steps.
    putClassifierCommandsOnPath();
    const spec = compilePipeline(imageClassifier, classifierCompileOptions());
    const first = await runPipeline(spec, options);
    expect(first.state).toBe('SUCCEEDED');
    // Tasks of the gate's branch run in parallel, so their order varies.
    expect(first.tasks.map((t) => [t.path, t.state]).sort()).toEqual([
      ['condition-1/condition-2/approve-model', 'succeeded'],
      ['condition-1/condition-2/endpoint-create', 'succeeded'],
      ['condition-1/condition-2/export-quantized', 'succeeded'],
      ['condition-1/condition-2/importer', 'succeeded'],
      ['condition-1/condition-2/model-deploy', 'succeeded'],
      ['condition-1/condition-2/model-upload', 'succeeded'],
      ['condition-1/condition-2/package-classifier', 'succeeded'],
      ['evaluate', 'succeeded'],
      ['preprocess', 'succeeded'],
      ['train', 'succeeded'],
    ]);
    const top1 = first.parameters['top1'] as number;
    expect(top1).toBeGreaterThanOrEqual(0);
    expect(top1).toBeLessThanOrEqual(1);
    const model = first.artifacts['model']![0]!.artifact.uri!;
    expect(fs.readdirSync(model).sort()).toEqual(['label_map.json', 'logs', 'model.json', 'preprocessing.json', 'weights.bin']);
    expect(fs.readdirSync(path.join(model, 'logs')).sort()).toEqual(['train', 'validation']);
    const classification = first.artifacts['classification']![0]!.artifact.metadata as { confusionMatrix: { annotationSpecs: unknown[] } };
    expect(classification.confusionMatrix.annotationSpecs).toHaveLength(3);

    // The gate deployed the model: the endpoint answers a Vertex predict request for a test image.
    const [endpoint] = openLocalRegistry(root).endpoints.list();
    expect(endpoint).toMatchObject({ displayName: 'image-classifier', trafficSplit: { '1': 100 } });
    const server = await runningServer(root);
    const image = fs.readFileSync(path.join(images.dir, fs.readFileSync(images.manifestPath, 'utf8').split('\n')[1]!.split(',')[0]!));
    const response = await fetch(server!.url + predictPath(endpoint!.name), {
      method: 'POST',
      body: JSON.stringify({ instances: [{ b64: image.toString('base64') }] }),
    });
    expect(response.status).toBe(200);
    const { predictions, modelVersionId } = (await response.json()) as {
      predictions: { displayNames: string[]; confidences: number[]; label: string }[];
      modelVersionId: string;
    };
    expect(modelVersionId).toBe('1');
    expect([...predictions[0]!.displayNames].sort()).toEqual(['checker', 'ring', 'stripes']);
    expect(predictions[0]!.confidences.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(['checker', 'ring', 'stripes', 'uncertain']).toContain(predictions[0]!.label);
    const malformed = await fetch(server!.url + predictPath(endpoint!.name), { method: 'POST', body: '{"instances": "x"}' });
    expect(malformed.status).toBe(400);

    const second = await runPipeline(spec, options);
    // An importer is never cached; it reuses the artifact it recorded, so everything after it hits the cache.
    for (const task of second.tasks)
      expect([task.path, task.state]).toEqual([task.path, task.path.endsWith('/importer') ? 'succeeded' : 'cached']);
    expect(openLocalRegistry(root).endpoints.list()).toHaveLength(1);
    expect(second.parameters).toEqual(first.parameters);
  }, 120_000);
});
