/**
 * Split: consecutive pieces along an axis. Sizes come from the `split` attribute (before opset 13) or
 * input (from 13); without them the axis is cut into equal parts, one per output (from opset 18 the
 * last part may be smaller, with `num_outputs`).
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { intValues, optionalTensor, tensorInput, tensorTypeOf } from '../tensors.js';

function equalParts(node: Node, length: number, parts: number): number[] {
  const uneven = length % parts !== 0;
  if (uneven && node.opset < 18) throw new ShearsError('E_SHAPE', `${describe(node)}: an axis of ${length} does not split into ${parts} equal parts`, { node: node.name });
  const size = Math.ceil(length / parts);
  return Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(size, length - i * size)));
}

function splitKernel(since: number, sizesOf: (node: Node, inputs: readonly RuntimeValue[]) => number[] | undefined): KernelDef {
  return {
    op: 'Split',
    since,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const axis = normalizeAxis(node, node.getInt('axis', 0), x.dims.length);
      const length = x.dims[axis];
      const outer = elementCount(x.dims.slice(0, axis));
      const inner = elementCount(x.dims.slice(axis + 1));
      const parts = node.getInt('num_outputs') ?? node.outputs.length;
      return (inputs, rc) => {
        const sizes = sizesOf(node, inputs) ?? equalParts(node, length, parts);
        if (sizes.length !== node.outputs.length || sizes.some((s) => s < 0) || sizes.reduce((a, b) => a + b, 0) !== length) {
          throw new ShearsError('E_SHAPE', `${describe(node)}: split sizes [${sizes.join(',')}] do not cut an axis of ${length} into ${node.outputs.length} parts`, { node: node.name });
        }
        const src = tensorInput(node, inputs, 0).data as ArrayLike<unknown>;
        const row = length * inner;
        let start = 0;
        return sizes.map((size, k) => {
          const dims = [...x.dims];
          dims[axis] = size;
          const out = rc.output(k, x.dtype, dims);
          const dst = out.data as unknown[];
          const block = size * inner;
          for (let o = 0; o < outer; o++) {
            const from = o * row + start * inner;
            for (let i = 0; i < block; i++) dst[o * block + i] = src[from + i];
          }
          start += size;
          return out;
        });
      };
    },
  };
}

const sizesInput = (_: Node, inputs: readonly RuntimeValue[]): number[] | undefined => {
  const t = optionalTensor(inputs, 1);
  return t ? intValues(t) : undefined;
};

registerKernel(
  splitKernel(1, (node, inputs) => sizesInput(node, inputs) ?? node.getInts('split')),
  splitKernel(2, (node) => node.getInts('split')),
  splitKernel(13, sizesInput),
);
