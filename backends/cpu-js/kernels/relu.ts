/**
 * Relu: max(x, 0); NaN stays NaN. Integer types from opset 14. float32 works on the bits: a
 * comparison per element is a branch the CPU mispredicts on activations that are half negative
 * (measured 3× slower); clearing every negative number that is not a NaN with integer masks is not.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementwise } from '../elementwise-kernel.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

const generic = elementwise({ op: 'Relu', expr: { float: 'x0 < 0 ? 0 : x0', int: 'x0 < 0 ? 0 : x0', big: 'x0 < 0n ? 0n : x0' } });

const SIGNLESS = 0x7fffffff;
const INFINITY_BITS = 0x7f800000;

/** y = relu(x) over float32 bit patterns (y may be x). */
export function reluFloat32Bits(x: Int32Array, y: Int32Array): void {
  for (let i = 0; i < x.length; i++) {
    const bits = x[i];
    // All ones when the sign is set and the magnitude is at most infinity's (a number, not a NaN).
    const clear = (bits >> 31) & ~((INFINITY_BITS - (bits & SIGNLESS)) >> 31);
    y[i] = bits & ~clear;
  }
}

const bitsOf = (a: Float32Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length);

const relu: KernelDef = {
  ...generic,
  create(ctx) {
    const x = tensorTypeOf(ctx.node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT) return generic.create(ctx);
    return (inputs, rc) => {
      const out = rc.output(0, DType.FLOAT, x.dims);
      reluFloat32Bits(bitsOf(tensorInput(ctx.node, inputs, 0).data as Float32Array), bitsOf(out.data as Float32Array));
      return [out];
    };
  },
};

registerKernel(relu);
