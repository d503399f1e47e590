import { DEFAULT_AUGMENTATION } from '../../../components/image-classifier/train/augment';
import { mirroredAugmentation, pytorchSettingsFrom } from '../../../bench/fashion-mnist/mirror-settings';

describe('pytorchSettingsFrom', () => {
  it("mirrors today's recorded settings: Adam, constant rate, the epochs actually run", () => {
    const settings = pytorchSettingsFrom({ epochs: 30, batchSize: 64, learningRate: 0.002, augment: true }, 12);
    expect(settings).toEqual({
      epochs: 12,
      scheduleEpochs: 30,
      batchSize: 64,
      learningRate: 0.002,
      optimizer: 'adam',
      weightDecay: 0,
      labelSmoothing: 0,
      warmupEpochs: 0,
      schedule: 'constant',
      augment: DEFAULT_AUGMENTATION,
    });
  });

  it('mirrors AdamW, weight decay, warm-up, cosine and label smoothing when recorded', () => {
    const settings = pytorchSettingsFrom(
      { optimizer: 'adamw', weightDecay: 1e-4, warmupEpochs: 2, schedule: 'warmup-cosine', labelSmoothing: 0.1, augment: false },
      10,
    );
    expect(settings).toMatchObject({
      optimizer: 'adamw',
      weightDecay: 1e-4,
      warmupEpochs: 2,
      schedule: 'cosine',
      labelSmoothing: 0.1,
      augment: null,
    });
    expect(pytorchSettingsFrom({ weightDecay: 0.01 }, 1).optimizer).toBe('adamw');
  });

  it("reads the recipe's names: learningRateSchedule and flip / maxShift / brightness", () => {
    const recorded = {
      epochs: 15,
      augment: true,
      learningRateSchedule: 'cosine',
      weightDecay: 0.01,
      warmupEpochs: 1,
      labelSmoothing: 0.1,
      flip: 'none',
      maxShift: 0.05,
      brightness: 0.2,
    };
    expect(pytorchSettingsFrom(recorded, 15)).toMatchObject({
      schedule: 'cosine',
      scheduleEpochs: 15,
      optimizer: 'adamw',
      augment: { flip: false, verticalFlip: false, maxShift: 0.05, brightness: 0.2 },
    });
    expect(pytorchSettingsFrom({ ...recorded, flip: 'both' }, 15).augment).toMatchObject({ flip: true, verticalFlip: true });
    expect(pytorchSettingsFrom({ ...recorded, augment: false }, 15).augment).toBeNull();
    expect(() => pytorchSettingsFrom({ ...recorded, flip: 'diagonal' }, 15)).toThrow(/flip = "diagonal"/);
  });
});

describe('mirroredAugmentation', () => {
  it('reads booleans, preset names and explicit options', () => {
    expect(mirroredAugmentation(false)).toBeNull();
    expect(mirroredAugmentation('none')).toBeNull();
    expect(mirroredAugmentation('no-flip')).toEqual({ ...DEFAULT_AUGMENTATION, flip: false });
    expect(mirroredAugmentation({ flip: false, maxShift: 0.05, brightness: 0 })).toEqual({ flip: false, maxShift: 0.05, brightness: 0 });
    expect(mirroredAugmentation({ flip: false, maxShift: 0, brightness: 0 })).toBeNull();
  });

  it('refuses what it cannot mirror instead of guessing', () => {
    expect(() => mirroredAugmentation('mixup')).toThrow(/augment = "mixup".*mirror-settings\.ts/);
  });
});
