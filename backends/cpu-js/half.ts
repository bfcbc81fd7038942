/** float16/bfloat16 tensors are stored as raw 16-bit bits; cpu-js computes them in float32. */
import { DType } from '../../src/ir/dtype.js';
import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16 } from '../../src/ir/float16.js';
import { Tensor } from '../../src/ir/tensor.js';

export function isHalf(dtype: DType): boolean {
  return dtype === DType.FLOAT16 || dtype === DType.BFLOAT16;
}

export function widenHalf(t: Tensor): Tensor {
  const bits = t.data as Uint16Array;
  const out = new Float32Array(bits.length);
  if (t.dtype === DType.FLOAT16) for (let i = 0; i < bits.length; i++) out[i] = float16ToFloat32(bits[i]);
  else for (let i = 0; i < bits.length; i++) out[i] = bfloat16ToFloat32(bits[i]);
  return new Tensor(DType.FLOAT, t.dims, out, t.name);
}

export function narrowToHalf(t: Tensor, dtype: DType.FLOAT16 | DType.BFLOAT16): Tensor {
  const values = t.data as Float32Array;
  const out = new Uint16Array(values.length);
  const narrow = dtype === DType.FLOAT16 ? float32ToFloat16 : float32ToBfloat16;
  for (let i = 0; i < values.length; i++) out[i] = narrow(values[i]);
  return new Tensor(dtype, t.dims, out, t.name);
}
