/** Constant (any of its value attributes) and ConstantOfShape. */
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { allocTensor, intValues, tensorInput } from '../tensors.js';

function constantValue(node: Node): Tensor {
  const a = node.attributes.find((x) => x.name.startsWith('value') || x.name === 'sparse_value');
  switch (a?.type) {
    case 'tensor':
    case 'sparse_tensor':
      return a.value;
    case 'float':
      return Tensor.fromNumbers(DType.FLOAT, [], [a.value]);
    case 'floats':
      return Tensor.fromNumbers(DType.FLOAT, [a.value.length], a.value);
    case 'int':
      return Tensor.fromNumbers(DType.INT64, [], [a.value]);
    case 'ints':
      return Tensor.fromNumbers(DType.INT64, [a.value.length], a.value);
    case 'string':
      return new Tensor(DType.STRING, [], [a.value]);
    case 'strings':
      return new Tensor(DType.STRING, [a.value.length], [...a.value]);
    default:
      throw new ShearsError('E_MODEL_INVALID', `${describe(node)} has no value attribute`, { node: node.name });
  }
}

registerKernel(
  {
    op: 'Constant',
    widenHalf: false,
    supports(node) {
      constantValue(node);
      return true;
    },
    create(ctx) {
      const value = constantValue(ctx.node);
      return () => [value];
    },
  },
  {
    op: 'ConstantOfShape',
    since: 9,
    widenHalf: false,
    create(ctx) {
      const value = ctx.node.getTensor('value') ?? Tensor.fromNumbers(DType.FLOAT, [1], [0]);
      const fill = value.data[0];
      return (inputs) => {
        const out = allocTensor(value.dtype, intValues(tensorInput(ctx.node, inputs, 0)));
        (out.data as { fill(v: unknown): unknown }).fill(fill);
        return [out];
      };
    },
  },
);
