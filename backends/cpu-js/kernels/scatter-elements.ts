/** ScatterElements (and the older Scatter): data with updates written at index positions along an axis. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis, stridesOf } from '../axes.js';
import { checkIndexShape, checkedIndex, offsetsOf } from '../index-walk.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { combineFor, scatterReduction } from '../scatter-reduction.js';
import { sameDims, tensorInput, tensorTypeOf } from '../tensors.js';

function scatterElements(op: string, since: number): KernelDef {
  return {
    op,
    since,
    widenHalf: false,
    supports: (node) => {
      const c = scatterReduction(node);
      return typeof c === 'string' ? c : true;
    },
    create(ctx) {
      const { node } = ctx;
      const data = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const indices = tensorTypeOf(node, ctx.inputTypes[1], 1);
      const updates = tensorTypeOf(node, ctx.inputTypes[2], 2);
      const axis = normalizeAxis(node, node.getInt('axis', 0), data.dims.length);
      checkIndexShape(node, data.dims, indices.dims, axis);
      if (!sameDims(indices.dims, updates.dims)) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: updates of shape [${updates.dims.join(',')}] differ from indices of shape [${indices.dims.join(',')}]`, { node: node.name });
      }
      const combine = combineFor(node);
      const strides = stridesOf(data.dims);
      const axisStride = strides[axis];
      const base = offsetsOf(indices.dims, strides.map((s, d) => (d === axis ? 0 : s)));
      const size = data.dims[axis];
      const count = elementCount(indices.dims);
      const total = elementCount(data.dims);
      return (inputs, rc) => {
        const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
        const idx = tensorInput(node, inputs, 1).data;
        const upd = tensorInput(node, inputs, 2).data as ArrayLike<unknown>;
        const out = rc.output(0, data.dtype, data.dims);
        const dst = out.data as unknown[];
        for (let i = 0; i < total; i++) dst[i] = src[i];
        for (let i = 0; i < count; i++) combine(dst, base[i] + checkedIndex(node, Number(idx[i]), size) * axisStride, upd[i]);
        return [out];
      };
    },
  };
}

registerKernel(scatterElements('ScatterElements', 11), scatterElements('Scatter', 9));
