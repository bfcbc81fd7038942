/**
 * DynamicQuantizeLinear: uint8 quantization with a scale and zero point chosen from the data's
 * range (widened to include 0), computed in float32 as the spec's reference does.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { roundHalfEven } from '../math-functions.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

const clampByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

registerKernel({
  op: 'DynamicQuantizeLinear',
  since: 11,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT) throw unsupportedType(node, x.dtype);
    const n = elementCount(x.dims);
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      let min = 0;
      let max = 0;
      for (let i = 0; i < n; i++) {
        if (X[i] < min) min = X[i];
        if (X[i] > max) max = X[i];
      }
      const scale = Math.fround((max - min) / 255);
      const zero = scale === 0 ? 0 : clampByte(roundHalfEven(Math.fround(-min / scale)));
      const y = rc.output(0, DType.UINT8, x.dims);
      const Y = y.data as Uint8Array;
      for (let i = 0; i < n; i++) Y[i] = scale === 0 ? zero : clampByte(roundHalfEven(Math.fround(X[i] / scale)) + zero);
      const s = rc.output(1, DType.FLOAT, []);
      (s.data as Float32Array)[0] = scale;
      const z = rc.output(2, DType.UINT8, []);
      (z.data as Uint8Array)[0] = zero;
      return [y, s, z];
    };
  },
});
