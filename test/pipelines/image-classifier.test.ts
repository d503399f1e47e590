import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compilePipeline } from '../../compiler';
import { makeDemoImageSet } from '../../components/demo-data/make-demo-image-set';
import imageClassifier from '../../pipelines/image-classifier';
import { runPipeline } from '../../runner/run-pipeline';

describe('pipelines/image-classifier.ts end to end on a tiny data set', () => {
  it('preprocesses, trains, evaluates and gates locally, and a second run is served from the cache', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-image-classifier-'));
    const images = await makeDemoImageSet({ dir: path.join(root, 'images'), classes: ['stripes', 'checker', 'ring'], perClass: 16, size: 24, seed: 3 });
    const options = {
      parameters: { manifest: images.manifestPath, imageSize: 16, epochs: 3, minTop1: 0, maxEce: 1, maxBadFraction: 0.2 },
      pipelineRoot: path.join(root, 'outputs'),
      metadataFile: path.join(root, 'metadata.sqlite'),
    };
    const spec = compilePipeline(imageClassifier);
    const first = await runPipeline(spec, options);
    expect(first.state).toBe('SUCCEEDED');
    expect(first.tasks.map((t) => [t.path, t.state])).toEqual([
      ['preprocess', 'succeeded'],
      ['train', 'succeeded'],
      ['evaluate', 'succeeded'],
      ['condition-1/condition-2/approve-model', 'succeeded'],
    ]);
    const top1 = first.parameters['top1'] as number;
    expect(top1).toBeGreaterThanOrEqual(0);
    expect(top1).toBeLessThanOrEqual(1);
    const model = first.artifacts['model']![0]!.artifact.uri!;
    expect(fs.readdirSync(model).sort()).toEqual(['label_map.json', 'model.json', 'preprocessing.json', 'weights.bin']);
    const classification = first.artifacts['classification']![0]!.artifact.metadata as { confusionMatrix: { annotationSpecs: unknown[] } };
    expect(classification.confusionMatrix.annotationSpecs).toHaveLength(3);

    const second = await runPipeline(spec, options);
    expect(second.tasks.map((t) => t.state)).toEqual(['cached', 'cached', 'cached', 'cached']);
    expect(second.parameters).toEqual(first.parameters);
  }, 120_000);
});
