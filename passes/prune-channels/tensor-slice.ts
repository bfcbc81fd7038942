import { arrayConstructor, DType, isPacked4Bit, lanes, NumericArray } from '../../src/ir/dtype.js';
import { ShearsError } from '../../src/error.js';
import { Tensor } from '../../src/ir/tensor.js';

/** The tensor with only the given indices along `axis`, in that order. */
export function sliceAxis(t: Tensor, axis: number, keep: readonly number[]): Tensor {
  const { outer, size, inner } = layout(t, axis);
  const L = lanes(t.dtype);
  const data = t.data;
  const block = inner * L;
  const dims = t.dims.map((d, k) => (k === axis ? keep.length : d));
  if (Array.isArray(data)) {
    const out: string[] = [];
    for (let o = 0; o < outer; o++) for (const i of keep) out.push(...data.slice((o * size + i) * block, (o * size + i + 1) * block));
    return new Tensor(t.dtype, dims, out, t.name);
  }
  const Ctor = arrayConstructor(t.dtype);
  const out = new Ctor(outer * keep.length * block) as Float32Array;
  const src = data as Float32Array;
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const i of keep) {
      const from = (o * size + i) * block;
      // Short blocks (a 3x3 kernel row) copy faster element by element than through subarray views.
      if (block < 64) for (let k = 0; k < block; k++) out[at + k] = src[from + k];
      else out.set(src.subarray(from, from + block), at);
      at += block;
    }
  }
  return new Tensor(t.dtype, dims, out, t.name);
}

/** A copy of the tensor with the given indices along `axis` set to zero. */
export function zeroAxis(t: Tensor, axis: number, indices: readonly number[]): Tensor {
  const { outer, size, inner } = layout(t, axis);
  const L = lanes(t.dtype);
  const data = t.data;
  if (Array.isArray(data)) throw new ShearsError('E_UNSUPPORTED_OP', `cannot zero channels of string tensor '${t.name}'`, { tensor: t.name });
  const copy = (data as Float32Array).slice() as NumericArray;
  const zero = copy instanceof BigInt64Array || copy instanceof BigUint64Array ? 0n : 0;
  for (let o = 0; o < outer; o++) {
    for (const i of indices) (copy as Float32Array).fill(zero as number, (o * size + i) * inner * L, (o * size + i + 1) * inner * L);
  }
  return new Tensor(t.dtype, t.dims, copy, t.name);
}

function layout(t: Tensor, axis: number): { outer: number; size: number; inner: number } {
  if (isPacked4Bit(t.dtype) || t.dtype === DType.UNDEFINED) {
    throw new ShearsError('E_UNSUPPORTED_OP', `cannot slice 4-bit tensor '${t.name}' by channel`, { tensor: t.name });
  }
  const dims = t.dims;
  return {
    outer: dims.slice(0, axis).reduce((a, b) => a * b, 1),
    size: dims[axis],
    inner: dims.slice(axis + 1).reduce((a, b) => a * b, 1),
  };
}
