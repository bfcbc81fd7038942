/**
 * DFT: the Fourier transform along one axis of a real ([..., 1]) or complex ([..., 2]) signal,
 * zero-padded or truncated to dft_length, optionally one-sided or inverse. The axis is an attribute
 * in opset 17 (default 1) and an input from opset 20 (default -2).
 */
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { FourierPlan, fourierPlan, transform } from '../fourier.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function dftKernel(since: number, axisOf: (node: Node, inputs: readonly RuntimeValue[]) => number): KernelDef {
  return {
    op: 'DFT',
    since,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
      const rank = x.dims.length;
      const channels = x.dims[rank - 1];
      const bad = (why: string): ShearsError => new ShearsError('E_SHAPE', `${describe(node)}: ${why}`, { node: node.name });
      if (rank < 2 || (channels !== 1 && channels !== 2)) throw bad(`input [${x.dims.join(',')}] must end in a dim of 1 (real) or 2 (complex)`);
      const inverse = node.getInt('inverse', 0) !== 0;
      const onesided = node.getInt('onesided', 0) !== 0;
      let plan: FourierPlan | null = null;
      return (inputs, rc) => {
        const axis = normalizeAxis(node, axisOf(node, inputs), rank);
        if (axis === rank - 1) throw bad('the transform axis cannot be the last (real/imaginary) dim');
        const n = x.dims[axis];
        const lengthInput = optionalTensor(inputs, 1);
        const length = lengthInput && lengthInput.size > 0 ? Number(lengthInput.data[0]) : n;
        if (!(length >= 1)) throw bad(`dft_length ${length} must be positive`);
        if (!plan || plan.n !== length) plan = fourierPlan(length);
        const outLength = onesided ? Math.floor(length / 2) + 1 : length;
        const outDims = [...x.dims];
        outDims[axis] = outLength;
        outDims[rank - 1] = 2;
        const outer = elementCount(x.dims.slice(0, axis));
        const inner = elementCount(x.dims.slice(axis + 1, -1));
        const src = tensorInput(node, inputs, 0).data as Float32Array;
        const out = rc.output(0, x.dtype, outDims);
        const dst = out.data as Float32Array;
        const re = new Float64Array(length);
        const im = new Float64Array(length);
        for (let o = 0; o < outer; o++) {
          for (let i = 0; i < inner; i++) {
            for (let j = 0; j < length; j++) {
              const at = ((o * n + j) * inner + i) * channels;
              re[j] = j < n ? src[at] : 0;
              im[j] = j < n && channels === 2 ? src[at + 1] : 0;
            }
            transform(plan, re, im, inverse);
            for (let k = 0; k < outLength; k++) {
              const at = ((o * outLength + k) * inner + i) * 2;
              dst[at] = re[k];
              dst[at + 1] = im[k];
            }
          }
        }
        return [out];
      };
    },
  };
}

registerKernel(
  dftKernel(17, (node) => node.getInt('axis', 1)),
  dftKernel(20, (_, inputs) => {
    const t = optionalTensor(inputs, 2);
    return t ? Number(t.data[0]) : -2;
  }),
);
