/** Det: determinants of the trailing square matrices, by LU decomposition with partial pivoting in float64. */
import { ShearsError } from '../../../src/error.js';
import { isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function determinant(a: Float64Array, m: number): number {
  let det = 1;
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(a[r * m + c]) > Math.abs(a[pivot * m + c])) pivot = r;
    if (a[pivot * m + c] === 0) return 0;
    if (pivot !== c) {
      for (let k = 0; k < m; k++) {
        const t = a[c * m + k];
        a[c * m + k] = a[pivot * m + k];
        a[pivot * m + k] = t;
      }
      det = -det;
    }
    const p = a[c * m + c];
    det *= p;
    for (let r = c + 1; r < m; r++) {
      const f = a[r * m + c] / p;
      if (f !== 0) for (let k = c + 1; k < m; k++) a[r * m + k] -= f * a[c * m + k];
    }
  }
  return det;
}

registerKernel({
  op: 'Det',
  since: 11,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
    const rank = x.dims.length;
    const m = x.dims[rank - 1];
    if (rank < 2 || x.dims[rank - 2] !== m) throw new ShearsError('E_SHAPE', `${describe(node)}: input [${x.dims.join(',')}] does not end in square matrices`, { node: node.name });
    const outDims = x.dims.slice(0, -2);
    const count = elementCount(outDims);
    const work = new Float64Array(m * m);
    return (inputs, rc) => {
      const src = tensorInput(node, inputs, 0).data as Float32Array;
      const out = rc.output(0, x.dtype, outDims);
      const dst = out.data as Float32Array;
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < m * m; k++) work[k] = src[i * m * m + k];
        dst[i] = determinant(work, m);
      }
      return [out];
    };
  },
});
