/**
 * The first pipeline of the README: prepare data, train on a GPU, evaluate. Compile it with
 * `npx kfp-ts compile pipelines/quickstart.ts -o quickstart.yaml`.
 */
import { Dataset, Metrics, Model, containerComponent, pipeline, t } from '../compiler';

const prepare = containerComponent({
  name: 'prepare-data',
  description: 'Splits the raw rows into a training dataset.',
  inputs: { rows: t.int({ default: 1000 }), seed: t.int({ default: 42 }) },
  outputs: { train: Dataset },
  image: 'python:3.11-slim',
  command: ({ inputs, outputs }) => [
    'python3',
    '-c',
    'import sys, random; random.seed(int(sys.argv[2])); open(sys.argv[3], "w").write("\\n".join(str(random.random()) for _ in range(int(sys.argv[1]))))',
    inputs.rows,
    inputs.seed,
    outputs.train.path,
  ],
});

const train = containerComponent({
  name: 'train-model',
  inputs: { train: Dataset, epochs: t.int(), learningRate: t.float({ default: 0.001 }) },
  outputs: { model: Model, loss: t.float() },
  image: 'us-docker.pkg.dev/my-project/kfp-ts/train:latest',
  command: ({ inputs, outputs }) => [
    'node',
    '/app/train.js',
    `--data=${inputs.train.path}`,
    `--epochs=${inputs.epochs}`,
    `--learning-rate=${inputs.learningRate}`,
    `--model=${outputs.model.path}`,
    `--loss=${outputs.loss.path}`,
  ],
});

const evaluate = containerComponent({
  name: 'evaluate-model',
  inputs: { model: Model, data: Dataset },
  outputs: { metrics: Metrics },
  image: 'us-docker.pkg.dev/my-project/kfp-ts/train:latest',
  command: ({ inputs, outputs }) => ['node', '/app/evaluate.js', inputs.model.path, inputs.data.path, outputs.metrics.path],
});

export default pipeline(
  {
    name: 'quickstart',
    description: 'Prepares data, trains a model on a GPU and evaluates it.',
    params: { epochs: t.int({ default: 10 }), rows: t.int({ default: 1000 }) },
  },
  ({ epochs, rows }) => {
    const data = prepare({ rows });
    const model = train({ train: data.outputs.train, epochs })
      .setDisplayName('Train (GPU)')
      .setAccelerator('NVIDIA_L4', 1)
      .setCpuLimit('8')
      .setMemoryLimit('32G')
      .setRetry({ maxRetries: 2, backoffDuration: '60s' });
    const metrics = evaluate({ model: model.outputs.model, data: data.outputs.train });
    return { model: model.outputs.model, metrics: metrics.outputs.metrics };
  },
);
