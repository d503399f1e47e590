/**
 * The PyTorch baseline's optimizer and data settings, mirrored from the hyperparameters the train
 * step records on its Model artifact. Names the train step may not have (yet) fall back to what
 * it does without them: Adam, a constant learning rate, no weight decay, no label smoothing.
 */
import { DEFAULT_AUGMENTATION, type AugmentOptions } from '../../components/image-classifier/train/augment';
import type { PytorchConfig } from './pytorch-baseline';

/** The Model artifact's `hyperparameters` metadata, as far as the baseline reads it. */
export type TrainHyperparameters = Readonly<Record<string, unknown>> & { readonly architecture?: unknown };

export type MirroredSettings = Pick<
  PytorchConfig,
  | 'epochs'
  | 'scheduleEpochs'
  | 'batchSize'
  | 'learningRate'
  | 'optimizer'
  | 'weightDecay'
  | 'labelSmoothing'
  | 'warmupEpochs'
  | 'schedule'
  | 'augment'
>;

const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

function isAugmentOptions(value: unknown): value is AugmentOptions {
  const v = value as Partial<AugmentOptions> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.flip === 'boolean' && typeof v.maxShift === 'number' && typeof v.brightness === 'number'
  );
}

/**
 * The augmentation the train step recorded: `augment` on or off, with the recipe's `flip`
 * ('none' | 'horizontal' | 'vertical' | 'both'), `maxShift` and `brightness` when it records them.
 */
export function augmentationFrom(h: TrainHyperparameters): AugmentOptions | null {
  if (h['augment'] === false) return null;
  if (typeof h['flip'] === 'string') {
    const flip = h['flip'];
    if (!['none', 'horizontal', 'vertical', 'both'].includes(flip))
      throw new Error(
        `the train step recorded flip = ${JSON.stringify(flip)}, which the PyTorch baseline does not know how to mirror; teach bench/fashion-mnist/mirror-settings.ts about it.`,
      );
    return mirroredAugmentation({
      flip: flip === 'horizontal' || flip === 'both',
      verticalFlip: flip === 'vertical' || flip === 'both',
      maxShift: numberOr(h['maxShift'], DEFAULT_AUGMENTATION.maxShift),
      brightness: numberOr(h['brightness'], DEFAULT_AUGMENTATION.brightness),
    });
  }
  return mirroredAugmentation(h['augment']);
}

/** `augment` as a boolean, a preset name, or the options themselves. */
export function mirroredAugmentation(value: unknown): AugmentOptions | null {
  if (isAugmentOptions(value))
    return value.flip || value.verticalFlip === true || value.maxShift > 0 || value.brightness > 0 ? { ...value } : null;
  if (value === true || value === 'default') return { ...DEFAULT_AUGMENTATION };
  if (typeof value === 'string' && /no-?flip/i.test(value)) return { ...DEFAULT_AUGMENTATION, flip: false };
  if (value === false || value === 'none' || value === undefined) return null;
  throw new Error(
    `the train step recorded augment = ${JSON.stringify(value)}, which the PyTorch baseline does not know how to mirror; teach bench/fashion-mnist/mirror-settings.ts about it.`,
  );
}

export function pytorchSettingsFrom(h: TrainHyperparameters, epochsRun: number): MirroredSettings {
  const weightDecay = numberOr(h['weightDecay'], 0);
  const optimizer = h['optimizer'] === 'adamw' || h['optimizer'] === 'adam' ? h['optimizer'] : weightDecay > 0 ? 'adamw' : 'adam';
  const recorded = h['learningRateSchedule'] ?? h['schedule'];
  const schedule = typeof recorded === 'string' && /cosine/i.test(recorded) ? 'cosine' : 'constant';
  return {
    epochs: epochsRun,
    // The schedule spans the epochs asked for; early stopping may end training before its end.
    scheduleEpochs: numberOr(h['epochs'], epochsRun),
    batchSize: numberOr(h['batchSize'], 32),
    learningRate: numberOr(h['learningRate'], 0.001),
    optimizer,
    weightDecay,
    labelSmoothing: numberOr(h['labelSmoothing'], 0),
    warmupEpochs: numberOr(h['warmupEpochs'], 0),
    schedule,
    augment: augmentationFrom(h),
  };
}
