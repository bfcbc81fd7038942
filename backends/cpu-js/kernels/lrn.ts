/** LRN (local response normalization across channels): y = x / (bias + alpha/size · Σ x²)^beta over a window of `size` channels. */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'LRN',
  supports: (node) => (node.getInt('size', 0) >= 1 ? true : 'size must be a positive integer'),
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    if (x.dims.length < 2) throw shapeError(node, `input of rank ${x.dims.length} has no channel axis`);
    const [N, C] = x.dims;
    const inner = elementCount(x.dims.slice(2));
    const size = node.getInt('size', 1);
    const alpha = node.getFloat('alpha', 1e-4);
    const beta = node.getFloat('beta', 0.75);
    const bias = node.getFloat('bias', 1);
    const before = Math.floor((size - 1) / 2);
    const after = Math.ceil((size - 1) / 2);
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const out = rc.output(0, x.dtype, x.dims);
      const Y = out.data as Float32Array;
      for (let n = 0; n < N; n++) {
        for (let c = 0; c < C; c++) {
          const c0 = Math.max(0, c - before);
          const c1 = Math.min(C - 1, c + after);
          for (let i = 0; i < inner; i++) {
            let sq = 0;
            for (let k = c0; k <= c1; k++) {
              const v = X[(n * C + k) * inner + i];
              sq += v * v;
            }
            const at = (n * C + c) * inner + i;
            Y[at] = X[at] / (bias + (alpha / size) * sq) ** beta;
          }
        }
      }
      return [out];
    };
  },
});
