/** Reshape, Flatten, Squeeze, Unsqueeze: new dims over the same data (the output is a view of the input). */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { Tensor, elementCount } from '../../../src/ir/tensor.js';
import { formatShape } from '../../../src/ir/types.js';
import { normalizeAxes, normalizeAxis } from '../axes.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { intValues, optionalTensor, tensorInput, tensorTypeOf } from '../tensors.js';

function view(node: Node, x: Tensor, dims: number[]): Tensor {
  if (elementCount(dims) !== x.size) {
    throw new ShearsError('E_SHAPE', `${describe(node)}: cannot view ${formatShape([...x.dims])} (${x.size} elements) as ${formatShape(dims)}`, { node: node.name });
  }
  return new Tensor(x.dtype, dims, x.data);
}

/** Target dims of Reshape: 0 copies the input dim (unless allowzero), one -1 is inferred. */
export function reshapeDims(node: Node, input: readonly number[], shape: readonly number[], allowZero: boolean): number[] {
  const dims = shape.map((d, i) => (d === 0 && !allowZero ? input[i] : d));
  const unknown = dims.indexOf(-1);
  if (unknown >= 0) {
    const known = elementCount(dims.filter((_, i) => i !== unknown));
    dims[unknown] = known === 0 ? 0 : elementCount(input) / known;
    if (!Number.isInteger(dims[unknown])) {
      throw new ShearsError('E_SHAPE', `${describe(node)}: cannot reshape ${formatShape([...input])} to ${formatShape([...shape])}`, { node: node.name });
    }
  }
  return dims;
}

/** A view kernel whose output dims depend only on the input dims and attributes. */
function fixedView(op: string, since: number, dimsOf: (node: Node, input: number[]) => number[]): KernelDef {
  return {
    op,
    since,
    widenHalf: false,
    create(ctx) {
      const dims = dimsOf(ctx.node, tensorTypeOf(ctx.node, ctx.inputTypes[0], 0).dims);
      return (inputs) => [view(ctx.node, tensorInput(ctx.node, inputs, 0), dims)];
    },
  };
}

function squeezeDims(node: Node, input: number[], axes: number[] | undefined): number[] {
  if (!axes) return input.filter((d) => d !== 1);
  const drop = normalizeAxes(node, axes, input.length);
  for (const a of drop) {
    if (input[a] !== 1) throw new ShearsError('E_SHAPE', `${describe(node)}: cannot squeeze axis ${a} of size ${input[a]}`, { node: node.name });
  }
  return input.filter((_, i) => !drop.includes(i));
}

function unsqueezeDims(node: Node, input: number[], axes: number[]): number[] {
  const rank = input.length + axes.length;
  const added = normalizeAxes(node, axes, rank);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(added.includes(i) ? 1 : input[next++]);
  return out;
}

/** A view kernel whose dims also depend on an int64 input (shape or axes) read at run time. */
function dynamicView(op: string, since: number, dimsOf: (node: Node, input: number[], arg: number[] | undefined) => number[]): KernelDef {
  return {
    op,
    since,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const inDims = tensorTypeOf(node, ctx.inputTypes[0], 0).dims;
      const constant = ctx.constants[1];
      const fixed = constant ? dimsOf(node, inDims, intValues(constant)) : null;
      return (inputs) => {
        const x = tensorInput(node, inputs, 0);
        const arg = optionalTensor(inputs, 1);
        return [view(node, x, fixed ?? dimsOf(node, inDims, arg ? intValues(arg) : undefined))];
      };
    },
  };
}

registerKernel(
  dynamicView('Reshape', 5, (node, input, shape) => reshapeDims(node, input, shape ?? [], node.getInt('allowzero', 0) !== 0)),
  fixedView('Flatten', 1, (node, input) => {
    const axis = node.getInt('axis', 1);
    const a = axis === input.length ? axis : normalizeAxis(node, axis, input.length);
    return [elementCount(input.slice(0, a)), elementCount(input.slice(a))];
  }),
  fixedView('Squeeze', 1, (node, input) => squeezeDims(node, input, node.getInts('axes'))),
  dynamicView('Squeeze', 13, (node, input, axes) => squeezeDims(node, input, axes)),
  fixedView('Unsqueeze', 1, (node, input) => unsqueezeDims(node, input, node.getInts('axes', []))),
  dynamicView('Unsqueeze', 13, (node, input, axes) => unsqueezeDims(node, input, axes ?? [])),
);
