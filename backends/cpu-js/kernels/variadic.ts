/** Sum, Mean, Max, Min over any number of inputs with broadcasting: a chain of binary loops. */
import { dtypeName } from '../../../src/ir/dtype.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { broadcastDims } from '../broadcast.js';
import { elementwiseLoop, ElementwiseLoop } from '../elementwise.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { ElementClass, elementClass, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function variadic(op: string, expr: Partial<Record<ElementClass, string>>, mean = false): KernelDef {
  return {
    op,
    since: 8,
    create(ctx) {
      const { node } = ctx;
      const types = ctx.inputTypes.map((t, i) => tensorTypeOf(node, t, i));
      const dtype = types[0].dtype;
      const e = expr[elementClass(dtype)];
      if (e === undefined) throw unsupportedType(node, dtype);
      const name = dtypeName(dtype);
      const outDims = broadcastDims(node, types.map((t) => t.dims));
      // Each step folds the next input into an accumulator already of the final shape.
      const first = elementwiseLoop('x0', [types[0].dims], outDims, `${name},${name}`);
      const steps: ElementwiseLoop[] = types.slice(1).map((t) => elementwiseLoop(e, [outDims, t.dims], outDims, `${name},${name},${name}`));
      const scale = mean ? elementwiseLoop('x0 / n', [outDims], outDims, `${name},${name}`, { n: types.length }) : null;
      return (inputs, rc) => {
        const out = rc.output(0, dtype, outDims);
        first(out.data, [tensorInput(node, inputs, 0).data]);
        steps.forEach((step, i) => step(out.data, [out.data, (inputs[i + 1] as Tensor).data]));
        if (scale) scale(out.data, [out.data]);
        return [out];
      };
    },
  };
}

registerKernel(
  variadic('Sum', { float: 'x0 + x1', int: 'x0 + x1', big: 'x0 + x1' }),
  variadic('Mean', { float: 'x0 + x1' }, true),
  variadic('Max', { float: 'Math.max(x0, x1)', int: 'x0 > x1 ? x0 : x1', big: 'x0 > x1 ? x0 : x1' }),
  variadic('Min', { float: 'Math.min(x0, x1)', int: 'x0 < x1 ? x0 : x1', big: 'x0 < x1 ? x0 : x1' }),
);

