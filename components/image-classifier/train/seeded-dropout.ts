/**
 * Dropout whose masks are reproducible from a seed. tfjs's own Dropout layer, given a seed, draws
 * the *same* mask at every training step (it passes the fixed seed to every tf.dropout call), and
 * without one it draws from Math.random. This layer uses seed + n for its n-th training call.
 *
 * It serialises as a plain 'Dropout' layer with the same rate: dropout does nothing at inference,
 * so a saved model loads with stock tfjs, without registering this class.
 */
import * as tf from '@tensorflow/tfjs';

export interface SeededDropoutArgs {
  readonly rate: number;
  readonly seed: number;
  readonly name?: string;
}

export class SeededDropout extends tf.layers.Layer {
  /** Saved as tfjs's stock Dropout (see above). */
  static className = 'Dropout';
  private readonly rate: number;
  private readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args.name !== undefined ? { name: args.name } : {});
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${args.rate}; 0 turns dropout off.`);
    this.rate = args.rate;
    this.seed = args.seed >>> 0;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs['training'] !== true || this.rate === 0) return input.clone();
    const seed = (this.seed + this.calls++) >>> 0;
    return tf.tidy(() => tf.dropout(input, this.rate, undefined, seed));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
