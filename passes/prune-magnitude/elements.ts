/**
 * Element access to a prunable weight as its consumer sees it: float16 widened, a quantized
 * tensor dequantized. Scoring reads effective values; zeroing writes the element's own zero
 * (0, or the zero point of a quantized tensor), in place in the source tensor.
 */
import { DType, NumericArray } from '../../src/ir/dtype.js';
import { bfloat16ToFloat32, float16ToFloat32 } from '../../src/ir/float16.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { isKept, Mask } from './mask.js';

export interface WeightElements {
  readonly size: number;
  /** Effective values of elements [start, start + count) as float32: a view where the data is float32, else `scratch` filled. */
  read(start: number, count: number, scratch: Float32Array): Float32Array;
  isZero(i: number): boolean;
  /** Zero every element the mask drops, in one pass that also counts the zeros there were before. */
  applyMask(mask: Mask): MaskApplied;
}

export interface MaskApplied {
  zerosBefore: number;
  /** Elements that were not zero and are now. */
  zeroed: number;
}

/** Float tensors (float32/float64/float16/bfloat16) whose elements are used as they are. */
export function floatElements(tensor: Tensor): WeightElements {
  const data = tensor.data as NumericArray;
  if (tensor.dtype === DType.FLOAT16 || tensor.dtype === DType.BFLOAT16) {
    const bits = data as Uint16Array;
    const widen = tensor.dtype === DType.FLOAT16 ? float16ToFloat32 : bfloat16ToFloat32;
    return elementsOver(bits.length, {
      read: (start, count, scratch) => {
        for (let i = 0; i < count; i++) scratch[i] = widen(bits[start + i]);
        return scratch;
      },
      isZero: (i) => (bits[i] & 0x7fff) === 0,
      setZero: (i) => (bits[i] = 0),
    });
  }
  const values = data as Float32Array | Float64Array;
  return {
    size: values.length,
    read: (start, count, scratch) => {
      if (values instanceof Float32Array) return values.subarray(start, start + count);
      for (let i = 0; i < count; i++) scratch[i] = values[i + start];
      return scratch;
    },
    isZero: (i) => values[i] === 0,
    applyMask(mask) {
      const bits = mask.bits;
      let zerosBefore = 0;
      let zeroed = 0;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === 0) zerosBefore++;
        else if (((bits[i >> 3] >> (i & 7)) & 1) === 0) {
          values[i] = 0;
          zeroed++;
        }
      }
      return { zerosBefore, zeroed };
    },
  };
}

/**
 * A quantized tensor read through DequantizeLinear: value = (q - zeroPoint[c]) * scale[c], with c
 * the index along `axis` for per-axis quantization (scale of one element: per-tensor).
 */
export function quantizedElements(tensor: Tensor, scale: readonly number[], zeroPoint: readonly number[], axis: number): WeightElements {
  const q = tensor.data as Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;
  const dims = tensor.dims;
  const channels = scale.length === 1 ? 1 : dims[axis];
  let inner = 1;
  if (channels > 1) for (let d = axis + 1; d < dims.length; d++) inner *= dims[d];
  const channelOf = (i: number): number => (channels === 1 ? 0 : Math.floor(i / inner) % channels);
  const zp = (c: number): number => zeroPoint[zeroPoint.length === 1 ? 0 : c] ?? 0;
  return elementsOver(q.length, {
    read: (start, count, scratch) => {
      for (let i = 0; i < count; i++) {
        const c = channelOf(start + i);
        scratch[i] = (q[start + i] - zp(c)) * scale[c];
      }
      return scratch;
    },
    isZero: (i) => q[i] === zp(channelOf(i)),
    setZero: (i) => (q[i] = zp(channelOf(i))),
  });
}

interface ElementOps {
  read(start: number, count: number, scratch: Float32Array): Float32Array;
  isZero(i: number): boolean;
  setZero(i: number): void;
}

function elementsOver(size: number, ops: ElementOps): WeightElements {
  return {
    size,
    read: ops.read,
    isZero: ops.isZero,
    applyMask(mask) {
      let zerosBefore = 0;
      let zeroed = 0;
      for (let i = 0; i < size; i++) {
        if (ops.isZero(i)) zerosBefore++;
        else if (!isKept(mask, i)) {
          ops.setZero(i);
          zeroed++;
        }
      }
      return { zerosBefore, zeroed };
    },
  };
}
