// Shapes, strides, dilations and padding of one convolution, resolved the way tfjs's forward kernels
// resolve them (backend_util.computeConv2DInfo), so a gradient agrees with the forward pass it
// differentiates for every padding mode, including explicit and dimRoundingMode ones.
import * as tf from '@tensorflow/tfjs';

type Shape4 = [number, number, number, number];

export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** inChannels × multiplier for a depthwise convolution. */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
}

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function asShape4(kernelName: string, what: string, shape: readonly number[]): Shape4 {
  const [n, h, w, c] = shape;
  if (shape.length !== 4 || n === undefined || h === undefined || w === undefined || c === undefined) {
    throw new Error(`${kernelName}: ${what} must be rank 4 (NHWC), got shape [${shape.join(', ')}]`);
  }
  return [n, h, w, c];
}

/**
 * Resolves the geometry and checks what the wasm gradient kernels support: NHWC only (tfjs layers
 * always call convolutions in NHWC, transposing channelsFirst inputs themselves).
 */
export function convGeometry(
  kernelName: string,
  inputShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): ConvGeometry {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error(
      `${kernelName} on wasm: attribute dataFormat='${attrs.dataFormat}' is not supported, only 'NHWC'; ` +
        `transpose the input to channels-last (tf.layers does this for dataFormat 'channelsFirst')`,
    );
  }
  const info = tf.backend_util.computeConv2DInfo(
    asShape4(kernelName, 'the input', inputShape),
    asShape4(kernelName, 'the filter', filterShape),
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  const expected = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dyShape.length !== 4 || expected.some((size, axis) => size !== dyShape[axis])) {
    throw new Error(
      `${kernelName}: dy has shape [${dyShape.join(', ')}] but the forward convolution of ` +
        `[${inputShape.join(', ')}] by filter [${filterShape.join(', ')}] gives [${expected.join(', ')}]`,
    );
  }
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

export interface TransposedConvPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * The padding that turns the input gradient into a forward stride-1 convolution of the
 * zero-upsampled dy ((out − 1)·stride + 1 rows) with the spatially flipped filter, so that the
 * result has exactly the input's height and width. Negative only for explicit paddings larger
 * than the dilated filter, which tfjs layers never produce.
 */
export function transposedConvPadding(g: ConvGeometry): TransposedConvPadding {
  const upsampledHeight = (g.outHeight - 1) * g.strideHeight + 1;
  const upsampledWidth = (g.outWidth - 1) * g.strideWidth + 1;
  return {
    top: (g.filterHeight - 1) * g.dilationHeight - g.padTop,
    bottom: g.inHeight - upsampledHeight + g.padTop,
    left: (g.filterWidth - 1) * g.dilationWidth - g.padLeft,
    right: g.inWidth - upsampledWidth + g.padLeft,
  };
}

export function hasNegativePadding(p: TransposedConvPadding): boolean {
  return p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0;
}
