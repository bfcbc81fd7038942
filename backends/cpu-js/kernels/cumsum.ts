/** CumSum along the axis given as a scalar input, optionally exclusive (shifted by one) and/or reversed. */
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { elementClass, intValues, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'CumSum',
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const cls = elementClass(x.dtype);
    if (cls !== 'float' && cls !== 'int' && cls !== 'big') throw unsupportedType(node, x.dtype);
    const exclusive = node.getInt('exclusive', 0) !== 0;
    const reverse = node.getInt('reverse', 0) !== 0;
    const zero = cls === 'big' ? 0n : 0;
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const axis = normalizeAxis(node, intValues(tensorInput(node, inputs, 1))[0], x.dims.length);
      const outer = elementCount(x.dims.slice(0, axis));
      const n = x.dims[axis];
      const inner = elementCount(x.dims.slice(axis + 1));
      const out = rc.output(0, x.dtype, x.dims);
      const Y = out.data as Float32Array;
      const step = reverse ? -inner : inner;
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          let at = o * n * inner + i + (reverse ? (n - 1) * inner : 0);
          let acc = zero as number;
          for (let k = 0; k < n; k++, at += step) {
            if (exclusive) {
              Y[at] = acc;
              acc += X[at];
            } else {
              acc += X[at];
              Y[at] = acc;
            }
          }
        }
      }
      return [out];
    };
  },
});
