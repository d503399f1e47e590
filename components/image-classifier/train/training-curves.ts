/**
 * The train step's per-epoch history in the two forms it is published in: the `curves` object of
 * the Metrics artifact's metadata (which `kfp-ts ui` plots) and TensorBoard scalars (event files in
 * the Model folder's `logs/` and in Vertex AI's AIP_TENSORBOARD_LOG_DIR).
 */
import type { ScalarPoint } from '../lib/tensorboard/event-file';
import type { EpochMetrics } from './training-loop';

/**
 * `metadata.curves` of the train step's Metrics artifact. A stable shape that readers rely on:
 * one array per series, all the same length, index i holding epoch `epoch[i]` (1-based, in
 * order); keys are only ever added. Losses are categorical cross-entropy, accuracies in [0, 1],
 * `seconds` the epoch's wall time (validation included), `learningRate` Adam's rate in that epoch.
 */
export interface TrainingCurves {
  readonly epoch: number[];
  readonly trainLoss: number[];
  readonly trainAccuracy: number[];
  readonly valLoss: number[];
  readonly valAccuracy: number[];
  readonly seconds: number[];
  readonly learningRate: number[];
}

export function trainingCurves(history: readonly EpochMetrics[]): TrainingCurves {
  return {
    epoch: history.map((m) => m.epoch),
    trainLoss: history.map((m) => m.trainLoss),
    trainAccuracy: history.map((m) => m.trainAccuracy),
    valLoss: history.map((m) => m.valLoss),
    valAccuracy: history.map((m) => m.valAccuracy),
    seconds: history.map((m) => m.seconds),
    learningRate: history.map((m) => m.learningRate),
  };
}

/** The TensorBoard runs (log subfolders), named as Keras' TensorBoard callback names them. */
export const TENSORBOARD_RUNS = { train: 'train', validation: 'validation' } as const;

/**
 * The history as TensorBoard scalars with Keras' tags (`epoch_` + the metric's name, the `val_`
 * prefix dropped in the validation run), so TensorBoard overlays train and validation on one chart
 * per metric. The step is the 1-based epoch, as in the step's log and in `curves`; Keras counts
 * from 0, so a Keras run of the same length sits one step to the left.
 */
export function tensorBoardScalars(history: readonly EpochMetrics[]): Record<keyof typeof TENSORBOARD_RUNS, ScalarPoint[]> {
  const train: ScalarPoint[] = [];
  const validation: ScalarPoint[] = [];
  for (const m of history) {
    const at = { step: m.epoch, wallTime: m.endedAt };
    train.push(
      { ...at, tag: 'epoch_loss', value: m.trainLoss },
      { ...at, tag: 'epoch_accuracy', value: m.trainAccuracy },
      { ...at, tag: 'epoch_learning_rate', value: m.learningRate },
    );
    validation.push({ ...at, tag: 'epoch_loss', value: m.valLoss }, { ...at, tag: 'epoch_accuracy', value: m.valAccuracy });
  }
  return { train, validation };
}
