/**
 * Resize along one axis as a table of taps: each output coordinate reads a fixed number of input
 * positions (1 nearest, 2 linear, 4 cubic) with weights, or the extrapolation value. Follows the
 * ONNX reference (onnx/backend/test/case/node/resize.py): positions outside the input clamp to the
 * edge, and the resized length in the coordinate formulas is scale × input length, unrounded.
 */
export type CoordinateMode = 'half_pixel' | 'tf_half_pixel_for_nn' | 'half_pixel_symmetric' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_crop_and_resize';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil' | 'simple';
export type InterpolationMode = 'nearest' | 'linear' | 'cubic';

export const COORDINATE_MODES: readonly string[] = ['half_pixel', 'tf_half_pixel_for_nn', 'half_pixel_symmetric', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize'];
export const NEAREST_MODES: readonly string[] = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'];

export interface AxisResize {
  inSize: number;
  outSize: number;
  scale: number;
  /** The region of interest along this axis, as fractions of the input (tf_crop_and_resize). */
  roiStart: number;
  roiEnd: number;
}

export interface ResizeOptions {
  mode: InterpolationMode;
  coordinates: CoordinateMode;
  nearest: NearestMode;
  cubicA: number;
  excludeOutside: boolean;
}

export interface Taps {
  count: number;
  /** [outSize × count] input positions (-1 everywhere in a row: the extrapolation value) and weights. */
  index: Int32Array;
  weight: Float64Array;
}

/** The input coordinate an output coordinate maps to, or NaN when it falls outside the crop (extrapolate). */
function originalCoordinate(x: number, a: AxisResize, mode: CoordinateMode): number {
  const { inSize, scale } = a;
  const outLength = scale * inSize;
  switch (mode) {
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'tf_half_pixel_for_nn':
      return (x + 0.5) / scale;
    case 'half_pixel_symmetric': {
      const adjustment = a.outSize / outLength;
      const center = inSize / 2;
      return center * (1 - adjustment) + (x + 0.5) / scale - 0.5;
    }
    case 'pytorch_half_pixel':
      return a.outSize > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'align_corners':
      return outLength === 1 ? 0 : (x * (inSize - 1)) / (outLength - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_crop_and_resize': {
      const span = (a.roiEnd - a.roiStart) * (inSize - 1);
      const c = a.roiStart * (inSize - 1) + (a.outSize > 1 ? (x * span) / (a.outSize - 1) : span / 2);
      return c < 0 || c > inSize - 1 ? NaN : c;
    }
  }
}

function nearestIndex(c: number, mode: NearestMode, downsampling: boolean): number {
  if (Number.isInteger(c)) return c;
  const f = Math.floor(c);
  switch (mode) {
    case 'round_prefer_floor':
      return c - f <= 0.5 ? f : f + 1;
    case 'round_prefer_ceil':
      return c - f < 0.5 ? f : f + 1;
    case 'floor':
      return f;
    case 'ceil':
      return f + 1;
    case 'simple':
      return downsampling ? Math.ceil(c) : Math.trunc(c);
  }
}

function cubicWeights(t: number, A: number, out: Float64Array, at: number): void {
  const s = 1 - t;
  out[at] = ((A * (t + 1) - 5 * A) * (t + 1) + 8 * A) * (t + 1) - 4 * A;
  out[at + 1] = ((A + 2) * t - (A + 3)) * t * t + 1;
  out[at + 2] = ((A + 2) * s - (A + 3)) * s * s + 1;
  out[at + 3] = ((A * (s + 1) - 5 * A) * (s + 1) + 8 * A) * (s + 1) - 4 * A;
}

export function axisTaps(a: AxisResize, o: ResizeOptions): Taps {
  const count = o.mode === 'nearest' ? 1 : o.mode === 'linear' ? 2 : 4;
  const index = new Int32Array(a.outSize * count);
  const weight = new Float64Array(a.outSize * count);
  const last = a.inSize - 1;
  const clamp = (i: number): number => (i < 0 ? 0 : i > last ? last : i);
  for (let x = 0; x < a.outSize; x++) {
    const at = x * count;
    const c = originalCoordinate(x, a, o.coordinates);
    if (Number.isNaN(c)) {
      index.fill(-1, at, at + count);
      continue;
    }
    if (o.mode === 'nearest') {
      index[at] = clamp(nearestIndex(c, o.nearest, a.scale < 1));
      weight[at] = 1;
      continue;
    }
    const f = Math.floor(c);
    const t = c - f;
    if (o.mode === 'linear') {
      index[at] = clamp(f);
      index[at + 1] = clamp(f + 1);
      weight[at] = 1 - t;
      weight[at + 1] = t;
      continue;
    }
    cubicWeights(t, o.cubicA, weight, at);
    let sum = 0;
    for (let k = 0; k < 4; k++) {
      const i = f - 1 + k;
      if (o.excludeOutside && (i < 0 || i > last)) weight[at + k] = 0;
      index[at + k] = clamp(i);
      sum += weight[at + k];
    }
    if (o.excludeOutside) for (let k = 0; k < 4; k++) weight[at + k] /= sum;
  }
  return { count, index, weight };
}

/** Whether the taps just copy the input (same size, each output reading its own position). */
export function isIdentity(t: Taps, inSize: number): boolean {
  if (t.index.length / t.count !== inSize) return false;
  for (let x = 0; x < inSize; x++) {
    for (let k = 0; k < t.count; k++) {
      const w = t.weight[x * t.count + k];
      const i = t.index[x * t.count + k];
      if (i < 0 || (w !== 0 && (i !== x || w !== 1))) return false;
    }
  }
  return true;
}
