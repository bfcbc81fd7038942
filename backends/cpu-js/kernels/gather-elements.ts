/** GatherElements: out[i][j][k] = data[i][index[i][j][k]][k] along `axis` (here axis 1). */
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis, stridesOf } from '../axes.js';
import { checkIndexShape, checkedIndex, offsetsOf } from '../index-walk.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'GatherElements',
  since: 11,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const data = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const indices = tensorTypeOf(node, ctx.inputTypes[1], 1);
    const axis = normalizeAxis(node, node.getInt('axis', 0), data.dims.length);
    checkIndexShape(node, data.dims, indices.dims, axis);
    const strides = stridesOf(data.dims);
    const axisStride = strides[axis];
    const base = offsetsOf(indices.dims, strides.map((s, d) => (d === axis ? 0 : s)));
    const size = data.dims[axis];
    const count = elementCount(indices.dims);
    return (inputs, rc) => {
      const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
      const idx = tensorInput(node, inputs, 1).data;
      const out = rc.output(0, data.dtype, indices.dims);
      const dst = out.data as unknown[];
      for (let i = 0; i < count; i++) dst[i] = src[base[i] + checkedIndex(node, Number(idx[i]), size) * axisStride];
      return [out];
    };
  },
});
