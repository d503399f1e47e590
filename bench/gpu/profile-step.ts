/**
 * Where one training step of the demo CNN spends its time, per tfjs kernel, on a backend: the
 * first thing to look at when the GPU backend is far below the hardware's reference point.
 * Prints the kernels by total time (tf.profile's per-kernel timings; on webgpu these come from
 * GPU timestamp queries where the adapter has them) and the step's wall time.
 *
 * `--flags=NAME=VALUE,…` sets tfjs environment flags first (e.g. WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=60,
 * WEBGPU_CPU_FORWARD=false), to try the backend's knobs; the img/s of 10 unprofiled steps is printed
 * so that runs with different flags compare.
 *
 * `--stock-filter-gradient` puts tfjs's own Conv2DBackpropFilter back in place of the im2col one.
 *
 *   node -r ./project/register-ts.js bench/gpu/profile-step.ts [--backend=webgpu] [--size=64] [--batch=32] [--flags=…] [--stock-filter-gradient]
 */
import * as tf from '@tensorflow/tfjs';
import { chooseTrainingBackend, parseBackendPreference } from '../../components/image-classifier/train/backend-choice';
import { DEFAULT_CNN, buildCnn } from '../../components/image-classifier/train/cnn';
import { useIm2colFilterGradient } from '../../components/image-classifier/train/gpu-kernels/im2col-filter-gradient';
import { numericOption, stringOption } from '../options';

const backend = parseBackendPreference(stringOption('backend', 'auto'));
const size = numericOption('size', 64);
const batch = numericOption('batch', 32);
const CLASSES = 3;
const flags = stringOption('flags', '')
  .split(',')
  .filter((f) => f !== '');

function setFlags(): string[] {
  return flags.map((flag) => {
    const [name, raw] = flag.split('=');
    if (!name || raw === undefined) throw new Error(`--flags takes NAME=VALUE pairs separated by commas, got '${flag}'`);
    const value = raw === 'true' ? true : raw === 'false' ? false : Number.isNaN(Number(raw)) ? raw : Number(raw);
    tf.env().set(name, value);
    return `${name}=${String(value)}`;
  });
}

async function main(): Promise<void> {
  const choice = await chooseTrainingBackend(backend, (line) => console.log(line));
  const applied = setFlags();
  if (process.argv.includes('--stock-filter-gradient')) {
    useIm2colFilterGradient(choice.backend, false);
    applied.push('stock Conv2DBackpropFilter');
  }
  const model = buildCnn({ ...DEFAULT_CNN, imageSize: size, numClasses: CLASSES, seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.randomUniform([batch, size, size, 3]);
  const y = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % CLASSES),
      'int32',
    ),
    CLASSES,
  );
  for (let warmUp = 0; warmUp < 3; warmUp++) await model.trainOnBatch(x, y);
  const timedSteps = 10;
  const timedStart = performance.now();
  for (let step = 0; step < timedSteps; step++) await model.trainOnBatch(x, y);
  const stepMs = (performance.now() - timedStart) / timedSteps;
  const started = performance.now();
  const info = await tf.profile(async () => {
    await model.trainOnBatch(x, y);
  });
  const wallMs = performance.now() - started;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const kernel of info.kernels) {
    const ms = Number(await kernel.kernelTimeMs) || 0;
    const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byKernel.set(kernel.name, entry);
  }
  const total = [...byKernel.values()].reduce((sum, k) => sum + k.ms, 0);
  console.log(
    `${choice.backend} on ${choice.device}: ${size}×${size}, batch ${batch}${applied.length > 0 ? `, flags ${applied.join(' ')}` : ''}`,
  );
  console.log(`  ${stepMs.toFixed(1)} ms per step over ${timedSteps} unprofiled steps = ${((batch * 1000) / stepMs).toFixed(1)} img/s`);
  console.log(`  profiled step: ${wallMs.toFixed(1)} ms wall, ${total.toFixed(1)} ms in ${info.kernels.length} kernel calls`);
  console.log('| kernel | calls | ms | share |\n|---|---|---|---|');
  for (const [name, k] of [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
    console.log(`| ${name} | ${k.calls} | ${k.ms.toFixed(2)} | ${((100 * k.ms) / Math.max(total, 1e-9)).toFixed(1)}% |`);
  }
  tf.dispose([x, y]);
  model.dispose();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
