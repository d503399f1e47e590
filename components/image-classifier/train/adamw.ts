/**
 * AdamW (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019): Adam's update
 * plus a weight decay applied to the weights directly, not through the gradient, so that it is not
 * rescaled by Adam's per-weight step sizes:
 *
 *   m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²
 *   w ← w − lr·( m̂ / (√v̂ + ε) + λ·w )      with m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)
 *
 * λ·lr is PyTorch's torch.optim.AdamW convention (the decay follows the learning-rate schedule).
 * Only weights that `decays(name)` selects are decayed: by default convolution and dense kernels,
 * not biases or batch-norm scales and shifts, as is usual. tfjs ships no AdamW; its Adam has no
 * way to change the learning rate between steps, which a schedule needs (`learningRate` here).
 */
import * as tf from '@tensorflow/tfjs';

export interface AdamWOptions {
  readonly learningRate: number;
  /** λ: decay per unit learning rate; 0 makes this Adam. */
  readonly weightDecay: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
  /** Which variables (by tfjs name, e.g. `conv1/kernel`) decay. Default: kernels only. */
  readonly decays?: (variableName: string) => boolean;
}

/** Kernels of Conv2D, DepthwiseConv2D (`depthwise_kernel`) and Dense layers. */
export const decaysKernels = (name: string): boolean => /(^|\/)(depthwise_)?kernel(_\d+)?$/.test(name);

interface Moments {
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

export class AdamW extends tf.Optimizer {
  static get className(): string {
    return 'AdamW';
  }

  /** The learning rate of the next step; the training loop sets it from the schedule. */
  learningRate: number;
  readonly weightDecay: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly decays: (name: string) => boolean;
  private readonly moments = new Map<string, Moments>();
  private step = 0;

  constructor(options: AdamWOptions) {
    super();
    if (!(options.learningRate > 0)) throw new Error(`learningRate must be > 0, got ${options.learningRate}.`);
    if (!(options.weightDecay >= 0 && options.weightDecay < 1))
      throw new Error(`weightDecay must be in [0, 1), got ${options.weightDecay}; 0.0001–0.05 is usual for AdamW, 0 turns it off.`);
    this.learningRate = options.learningRate;
    this.weightDecay = options.weightDecay;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.decays = options.decays ?? decaysKernels;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    this.step++;
    const lr = this.learningRate;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    tf.tidy(() => {
      for (const [name, gradient] of entries) {
        if (gradient == null) continue;
        const variable = tf.engine().registeredVariables[name];
        if (variable === undefined)
          throw new Error(`AdamW: no variable named '${name}' is registered; the gradients do not belong to the model being trained.`);
        let moments = this.moments.get(name);
        if (moments === undefined) {
          moments = tf.tidy(() => ({ m: tf.zerosLike(variable).variable(false), v: tf.zerosLike(variable).variable(false) }));
          this.moments.set(name, moments);
        }
        const m = tf.add(tf.mul(moments.m, this.beta1), tf.mul(gradient, 1 - this.beta1));
        const v = tf.add(tf.mul(moments.v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
        moments.m.assign(m);
        moments.v.assign(v);
        let update = tf.div(tf.div(m, correction1), tf.add(tf.sqrt(tf.div(v, correction2)), this.epsilon));
        if (this.weightDecay > 0 && this.decays(name)) update = tf.add(update, tf.mul(variable, this.weightDecay));
        variable.assign(tf.sub(variable, tf.mul(update, lr)));
      }
    });
    this.incrementIterations();
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }

  override async getWeights(): Promise<{ name: string; tensor: tf.Tensor }[]> {
    const names = [...this.moments.keys()];
    return [
      await this.saveIterations(),
      ...names.map((name) => ({ name: `${name}/m`, tensor: this.moments.get(name)!.m })),
      ...names.map((name) => ({ name: `${name}/v`, tensor: this.moments.get(name)!.v })),
    ];
  }

  override async setWeights(): Promise<void> {
    throw new Error('AdamW does not restore saved optimizer state; training starts from fresh moments (fine-tuning included).');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, weightDecay: this.weightDecay, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
