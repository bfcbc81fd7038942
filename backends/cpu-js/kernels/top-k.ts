/**
 * TopK: the k largest (or smallest) values along an axis and their int64 indices, sorted; equal
 * values keep the lower index first. k is an attribute before opset 10 and an input after.
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { elementClass, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function topKKernel(since: number, kOf: (node: Node, inputs: readonly RuntimeValue[]) => number): KernelDef {
  return {
    op: 'TopK',
    since,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const kind = elementClass(x.dtype);
      if (kind === 'string' || kind === 'bool') throw unsupportedType(node, x.dtype);
      const axis = normalizeAxis(node, node.getInt('axis', -1), x.dims.length);
      const largest = node.getInt('largest', 1) !== 0;
      const n = x.dims[axis];
      const outer = elementCount(x.dims.slice(0, axis));
      const inner = elementCount(x.dims.slice(axis + 1));
      const order = new Int32Array(n);
      let values: ArrayLike<number | bigint> = [];
      let base = 0;
      // NaN ranks above every number, as in numpy's sort.
      const rank = (a: number | bigint, b: number | bigint): number => {
        if (a === b) return 0;
        if (a !== a) return b !== b ? 0 : 1;
        if (b !== b) return -1;
        return a < b ? -1 : 1;
      };
      const compare = (i: number, j: number): number => {
        const c = rank(values[base + i * inner], values[base + j * inner]);
        return (largest ? -c : c) || i - j;
      };
      return (inputs, rc) => {
        const k = kOf(node, inputs);
        if (!(k >= 0 && k <= n)) throw new ShearsError('E_SHAPE', `${describe(node)}: k = ${k} is outside [0, ${n}]`, { node: node.name });
        const outDims = [...x.dims];
        outDims[axis] = k;
        const outValues = rc.output(0, x.dtype, outDims);
        const outIndices = rc.output(1, DType.INT64, outDims);
        const v = outValues.data as unknown[];
        const ix = outIndices.data as BigInt64Array;
        values = tensorInput(node, inputs, 0).data as ArrayLike<number | bigint>;
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            base = o * n * inner + i;
            for (let j = 0; j < n; j++) order[j] = j;
            order.sort(compare);
            for (let j = 0; j < k; j++) {
              const at = (o * k + j) * inner + i;
              v[at] = values[base + order[j] * inner];
              ix[at] = BigInt(order[j]);
            }
          }
        }
        return [outValues, outIndices];
      };
    },
  };
}

registerKernel(
  topKKernel(1, (node) => node.getInt('k', 0)),
  topKKernel(10, (node, inputs) => Number(tensorInput(node, inputs, 1).data[0])),
);
