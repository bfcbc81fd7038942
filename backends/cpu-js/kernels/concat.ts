/** Concat along one axis: for each outer index, each input's block in turn. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { formatShape } from '../../../src/ir/types.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'Concat',
  since: 4,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const types = ctx.inputTypes.map((t, i) => tensorTypeOf(node, t, i));
    const rank = types[0].dims.length;
    const axis = normalizeAxis(node, node.getInt('axis', 0), rank);
    const outDims = [...types[0].dims];
    outDims[axis] = 0;
    for (const t of types) {
      if (t.dims.length !== rank || t.dims.some((d, i) => i !== axis && d !== types[0].dims[i])) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: cannot concatenate ${types.map((x) => formatShape(x.dims)).join(', ')} on axis ${axis}`, { node: node.name });
      }
      outDims[axis] += t.dims[axis];
    }
    const outer = elementCount(outDims.slice(0, axis));
    const blocks = types.map((t) => elementCount(t.dims.slice(axis)));
    const row = elementCount(outDims.slice(axis));
    return (inputs, rc) => {
      const out = rc.output(0, types[0].dtype, outDims);
      const dst = out.data as unknown[];
      let at = 0;
      inputs.forEach((_, k) => {
        const src = tensorInput(node, inputs, k).data as ArrayLike<unknown>;
        const block = blocks[k];
        for (let o = 0; o < outer; o++) {
          const d = o * row + at;
          const s = o * block;
          for (let i = 0; i < block; i++) dst[d + i] = src[s + i];
        }
        at += block;
      });
      return [out];
    };
  },
});
