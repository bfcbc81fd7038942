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
  antialias: boolean;
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

/** The cubic convolution kernel at distance |x| (Keys, with coefficient A). */
function cubic(x: number, A: number): number {
  const d = Math.abs(x);
  if (d <= 1) return ((A + 2) * d - (A + 3)) * d * d + 1;
  if (d < 2) return ((A * d - 5 * A) * d + 8 * A) * d - 4 * A;
  return 0;
}

/**
 * The taps of linear/cubic interpolation around a sample: offsets first…first+count-1 from its
 * floor. With antialias, a downsampling axis stretches the kernel by 1/scale (more taps, weights
 * renormalized), as the ONNX reference does from opset 18.
 */
function tapWindow(o: ResizeOptions, scale: number): { first: number; count: number; stretch: number } {
  const radius = o.mode === 'linear' ? 1 : 2;
  const stretch = o.antialias ? Math.min(scale, 1) : 1;
  const first = Math.floor(-radius / stretch) + 1;
  return { first, count: 2 - 2 * first, stretch };
}

export function axisTaps(a: AxisResize, o: ResizeOptions): Taps {
  const { first, count, stretch } = o.mode === 'nearest' ? { first: 0, count: 1, stretch: 1 } : tapWindow(o, a.scale);
  const index = new Int32Array(a.outSize * count);
  const weight = new Float64Array(a.outSize * count);
  const last = a.inSize - 1;
  const clamp = (i: number): number => (i < 0 ? 0 : i > last ? last : i);
  const normalize = o.antialias || o.excludeOutside;
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
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const i = f + first + k;
      const d = (first + k - t) * stretch;
      let w = o.mode === 'linear' ? Math.max(0, 1 - Math.abs(d)) : cubic(d, o.cubicA);
      if (o.excludeOutside && (i < 0 || i > last)) w = 0;
      index[at + k] = clamp(i);
      weight[at + k] = w;
      sum += w;
    }
    if (normalize && sum !== 0) for (let k = 0; k < count; k++) weight[at + k] /= sum;
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
