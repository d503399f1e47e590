import type { IrPipelineSpec } from '../../compiler/ir/pipeline-spec';
import { staleProjectImages } from '../../cli/stale-images';

const spec = (...images: string[]) =>
  ({
    deploymentSpec: {
      executors: Object.fromEntries(images.map((image, index) => [`exec-${index}`, { container: { image, command: ['x'] } }])),
    },
  }) as unknown as IrPipelineSpec;

describe('staleProjectImages', () => {
  it('names a project image the IR was compiled against before its sources changed, once', () => {
    const ir = spec('europe-docker.pkg.dev/p/ml/steps:src-aaaa', 'europe-docker.pkg.dev/p/ml/steps:src-aaaa', 'node:20-slim');
    expect(staleProjectImages(ir, ['steps:src-bbbb'])).toEqual(['steps: compiled as src-aaaa, its sources now hash to src-bbbb']);
  });

  it('is quiet for current images, images of other projects and tags that are no content hash', () => {
    const ir = spec('steps:src-bbbb', 'other:src-aaaa', 'steps:v1', 'python:3.11');
    expect(staleProjectImages(ir, ['registry.example/ml/steps:src-bbbb'])).toEqual([]);
  });
});
