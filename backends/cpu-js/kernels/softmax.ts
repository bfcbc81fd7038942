/**
 * Softmax, LogSoftmax and Hardmax. From opset 13 they act along one axis (default −1); before, the
 * input is coerced to 2-D at `axis` (default 1) and each row of the trailing dims is one
 * distribution. Both are a loop over [outer, n, inner] with the distribution along n.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { KernelContext, KernelRun, registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

type Kind = 'softmax' | 'log' | 'hard';

function createSoftmax(ctx: KernelContext, kind: Kind, coerce2d: boolean): KernelRun {
  const { node } = ctx;
  const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
  if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
  const rank = x.dims.length;
  const axis = rank === 0 ? 0 : normalizeAxis(node, node.getInt('axis', coerce2d ? 1 : -1), rank);
  const outer = elementCount(x.dims.slice(0, axis));
  const n = coerce2d ? elementCount(x.dims.slice(axis)) : (x.dims[axis] ?? 1);
  const inner = coerce2d ? 1 : elementCount(x.dims.slice(axis + 1));
  return (inputs, rc) => {
    const X = tensorInput(node, inputs, 0).data as Float32Array;
    const out = rc.output(0, x.dtype, x.dims);
    const Y = out.data as Float32Array;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let max = -Infinity;
        let arg = 0;
        for (let k = 0, at = base; k < n; k++, at += inner) {
          if (X[at] > max) {
            max = X[at];
            arg = k;
          }
        }
        if (kind === 'hard') {
          for (let k = 0, at = base; k < n; k++, at += inner) Y[at] = k === arg ? 1 : 0;
          continue;
        }
        let sum = 0;
        for (let k = 0, at = base; k < n; k++, at += inner) sum += Math.exp(X[at] - max);
        if (kind === 'log') {
          const shift = max + Math.log(sum);
          for (let k = 0, at = base; k < n; k++, at += inner) Y[at] = X[at] - shift;
        } else {
          const inv = 1 / sum;
          for (let k = 0, at = base; k < n; k++, at += inner) Y[at] = Math.exp(X[at] - max) * inv;
        }
      }
    }
    return [out];
  };
}

const ops: [string, Kind][] = [
  ['Softmax', 'softmax'],
  ['LogSoftmax', 'log'],
  ['Hardmax', 'hard'],
];
for (const [op, kind] of ops) {
  registerKernel({ op, create: (ctx) => createSoftmax(ctx, kind, true) }, { op, since: 13, create: (ctx) => createSoftmax(ctx, kind, false) });
}
