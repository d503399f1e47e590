/**
 * The image-classifier pipeline runs its train task in the GPU image, on a GPU the image's
 * libtensorflow 2.9.1 (CUDA 11.2, cuDNN 8.1) runs on natively.
 */
import { compilePipeline } from '../../compiler';
import { TRAIN_GPU_ACCELERATOR, libtensorflowSupport } from '../../containers/train-gpu/accelerator';
import imageClassifier from '../../pipelines/image-classifier';
import { classifierCompileOptions, classifierImage } from '../support/classifier-compile-options';

describe('libtensorflow 2.9.1 on Vertex AI GPUs', () => {
  test.each([
    ['NVIDIA_TESLA_T4', 'native'],
    ['NVIDIA_TESLA_V100', 'native'],
    ['NVIDIA_TESLA_P100', 'native'],
    ['NVIDIA_TESLA_P4', 'native'],
    ['NVIDIA_TESLA_A100', 'ptx'],
    ['NVIDIA_A100_80GB', 'ptx'],
    ['NVIDIA_L4', 'unsupported'],
    ['NVIDIA_H100_80GB', 'unsupported'],
    ['NVIDIA_H200_141GB', 'unsupported'],
    ['TPU_V3', 'unknown'],
  ])('%s: %s', (accelerator, support) => {
    expect(libtensorflowSupport(accelerator)).toBe(support);
  });

  test(`the train GPU, ${TRAIN_GPU_ACCELERATOR}, runs it natively`, () => {
    expect(libtensorflowSupport(TRAIN_GPU_ACCELERATOR)).toBe('native');
  });
});

describe('the image-classifier pipeline', () => {
  // Compiled as `kfp-ts compile pipelines/image-classifier.ts` compiles it: the images from kfp-ts.config.ts.
  const train = () => compilePipeline(imageClassifier, classifierCompileOptions()).deploymentSpec!.executors['exec-train']!.container!;

  test('runs its train task in the GPU training image (the train-gpu project image, tagged by content), as kfp-ts exec-component', () => {
    const container = train();
    expect(container.image).toBe(classifierImage('train-gpu'));
    expect(container.image).toMatch(/^kfp-ts-train-gpu:src-[0-9a-f]{20}$/);
    expect(container.command).toEqual(['kfp-ts', 'exec-component', 'components/image-classifier/train/component.ts', 'train']);
    expect(container.args).toEqual(['--executor-input', '{{$}}']);
  });

  test('asks for a GPU the GPU image runs natively for its train task', () => {
    const accelerator = train().resources?.accelerator;
    const type = accelerator?.resourceType ?? accelerator?.type;
    expect({ type, support: type && libtensorflowSupport(type) }).toEqual({ type, support: 'native' });
  });
});
