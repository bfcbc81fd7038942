/** Slice: starts/ends/axes/steps from attributes (opset 1) or inputs (opset 10), clamped as the spec says. */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { normalizeAxes, stridesOf } from '../axes.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { stridedCopy } from '../strided.js';
import { intValues, optionalTensor, tensorInput, tensorTypeOf } from '../tensors.js';

interface SliceArgs {
  starts: number[];
  ends: number[];
  axes?: number[];
  steps?: number[];
}

/** Output dims, and the source offset and strides of the sliced view. */
function sliceView(node: Node, dims: readonly number[], args: SliceArgs): { outDims: number[]; offset: number; strides: number[] } {
  const rank = dims.length;
  const axes = normalizeAxes(node, args.axes ?? args.starts.map((_, i) => i), rank);
  const base = stridesOf(dims);
  const outDims = [...dims];
  const strides = [...base];
  let offset = 0;
  axes.forEach((axis, i) => {
    const size = dims[axis];
    const step = args.steps?.[i] ?? 1;
    if (step === 0) throw new ShearsError('E_SHAPE', `${describe(node)}: a slice step is 0`, { node: node.name });
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + size : v, lo), hi);
    const start = step > 0 ? clamp(args.starts[i], 0, size) : clamp(args.starts[i], -1, size - 1);
    const end = step > 0 ? clamp(args.ends[i], 0, size) : clamp(args.ends[i], -1, size - 1);
    outDims[axis] = Math.max(0, Math.ceil((end - start) / step));
    offset += start * base[axis];
    strides[axis] = base[axis] * step;
  });
  return { outDims, offset, strides };
}

function sliceKernel(since: number, argsOf: (node: Node, inputs: readonly RuntimeValue[]) => SliceArgs): KernelDef {
  return {
    op: 'Slice',
    since,
    widenHalf: false,
    create(ctx) {
      const { node } = ctx;
      const { dtype, dims } = tensorTypeOf(node, ctx.inputTypes[0], 0);
      return (inputs, rc) => {
        const { outDims, offset, strides } = sliceView(node, dims, argsOf(node, inputs));
        const out = rc.output(0, dtype, outDims);
        stridedCopy(tensorInput(node, inputs, 0).data, offset, strides, outDims, out.data);
        return [out];
      };
    },
  };
}

const ints = (inputs: readonly RuntimeValue[], i: number): number[] | undefined => {
  const t = optionalTensor(inputs, i);
  return t ? intValues(t) : undefined;
};

registerKernel(
  sliceKernel(1, (node) => ({ starts: node.getInts('starts', []), ends: node.getInts('ends', []), axes: node.getInts('axes') })),
  sliceKernel(10, (node, inputs) => ({ starts: ints(inputs, 1) ?? [], ends: ints(inputs, 2) ?? [], axes: ints(inputs, 3), steps: ints(inputs, 4) })),
);
