import { DType, isFloat } from '../../dtype.js';
import { float16ToFloat32, float32ToFloat16, bfloat16ToFloat32, float32ToBfloat16 } from '../../float16.js';
import type { Dim } from '../../types.js';
import { broadcastShapes } from '../dims.js';
import { KnownValue, MAX_KNOWN_ELEMENTS, known } from '../known-value.js';

/**
 * Element arithmetic over known values. An element is a number, a symbolic dim name (a size we do
 * not know but can name), or null. Only identities that hold for every size are used on names:
 * x + 0, x * 1, x / 1, x - x, x / x, x == x.
 */
export type ElementOp = (a: Dim, b: Dim) => Dim;

export const add: ElementOp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a + b : a === 0 ? b : b === 0 ? a : null);
export const sub: ElementOp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : b === 0 ? a : a !== null && a === b ? 0 : null);
export const mul: ElementOp = (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 0 || b === 0) return 0;
  return a === 1 ? b : b === 1 ? a : null;
};
export function div(integer: boolean): ElementOp {
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (!integer) return a / b;
      return b === 0 ? null : Math.trunc(a / b);
    }
    if (b === 1) return a;
    return a !== null && a === b ? 1 : null;
  };
}
export function mod(fmod: boolean): ElementOp {
  return (a, b) => {
    if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return null;
    const r = a % b;
    return fmod || r === 0 || Math.sign(r) === Math.sign(b) ? r : r + b;
  };
}
export const max: ElementOp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.max(a, b) : a !== null && a === b ? a : null);
export const min: ElementOp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Math.min(a, b) : a !== null && a === b ? a : null);
export const equal: ElementOp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Number(a === b) : a !== null && a === b ? 1 : null);
export const less: ElementOp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Number(a < b) : null);
export const greater: ElementOp = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Number(a > b) : null);

/** Round a computed element to what the dtype can hold; null when it cannot (overflow, NaN into an int). */
export function fit(dtype: DType, x: Dim): Dim {
  if (typeof x !== 'number') return dtype === DType.BOOL ? null : x;
  switch (dtype) {
    case DType.FLOAT:
      return Math.fround(x);
    case DType.FLOAT16:
      return float16ToFloat32(float32ToFloat16(x));
    case DType.BFLOAT16:
      return bfloat16ToFloat32(float32ToBfloat16(x));
    case DType.BOOL:
      return Number.isNaN(x) ? null : Number(x !== 0);
  }
  if (isFloat(dtype)) return x;
  const t = Math.trunc(x);
  return Number.isSafeInteger(t) && inRange(dtype, t) ? t : null;
}

function inRange(dtype: DType, x: number): boolean {
  const bits: Partial<Record<DType, [number, number]>> = {
    [DType.INT8]: [-128, 127], [DType.UINT8]: [0, 255], [DType.INT16]: [-32768, 32767], [DType.UINT16]: [0, 65535],
    [DType.INT32]: [-(2 ** 31), 2 ** 31 - 1], [DType.UINT32]: [0, 2 ** 32 - 1], [DType.UINT64]: [0, Infinity],
  };
  const r = bits[dtype];
  return !r || (x >= r[0] && x <= r[1]);
}

/** Row-major strides. */
export function strides(dims: readonly number[]): number[] {
  const out = new Array<number>(dims.length);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= dims[i];
  }
  return out;
}

/** For each element of `outDims`, the flat index of the element of `inDims` it broadcasts from. */
export function broadcastIndices(outDims: readonly number[], inDims: readonly number[]): number[] {
  const rank = outDims.length;
  const offset = rank - inDims.length;
  const inStrides = strides(inDims);
  const total = outDims.reduce((a, b) => a * b, 1);
  const out = new Array<number>(total);
  const coord = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let index = 0;
    for (let d = offset; d < rank; d++) if (inDims[d - offset] !== 1) index += coord[d] * inStrides[d - offset];
    out[flat] = index;
    for (let d = rank - 1; d >= 0; d--) {
      if (++coord[d] < outDims[d]) break;
      coord[d] = 0;
    }
  }
  return out;
}

/** Apply `op` elementwise over broadcast operands; the result has `dtype`. */
export function elementwise(dtype: DType, inputs: readonly KnownValue[], op: (...xs: Dim[]) => Dim): KnownValue | undefined {
  const dims = broadcastShapes(inputs.map((v) => v.dims));
  if (!dims || !dims.every((d): d is number => typeof d === 'number')) return undefined;
  const total = dims.reduce((a, b) => a * b, 1);
  if (total > MAX_KNOWN_ELEMENTS) return undefined;
  const maps = inputs.map((v) => broadcastIndices(dims, v.dims));
  const data = new Array<Dim>(total);
  for (let i = 0; i < total; i++) data[i] = fit(dtype, op(...inputs.map((v, k) => v.data[maps[k][i]])));
  return known(dtype, dims, data);
}
