/**
 * HannWindow, HammingWindow, BlackmanWindow: generalized cosine windows of a given size, periodic
 * (denominator N) by default or symmetric (N - 1), in `output_datatype` (default float32).
 */
import { ShearsError } from '../../../src/error.js';
import { DType, isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { elementClass, tensorInput, unsupportedType } from '../tensors.js';

/** Coefficients a0, a1, a2 of w[n] = a0 - a1·cos(2πn/N) + a2·cos(4πn/N). */
function cosineWindow(op: string, a0: number, a1: number, a2: number): KernelDef {
  return {
    op,
    since: 17,
    create(ctx) {
      const { node } = ctx;
      const dtype = node.getInt('output_datatype', DType.FLOAT) as DType;
      const kind = elementClass(dtype);
      if (kind === 'string' || kind === 'bool' || (kind === 'float' && !isFloat(dtype))) throw unsupportedType(node, dtype);
      const periodic = node.getInt('periodic', 1) !== 0;
      return (inputs, rc) => {
        const size = Number(tensorInput(node, inputs, 0).data[0]);
        if (!(size >= 0 && Number.isInteger(size))) throw new ShearsError('E_SHAPE', `${describe(node)}: window size ${size} must be a non-negative integer`, { node: node.name });
        const denominator = periodic ? size : size - 1;
        const out = rc.output(0, dtype, [size]);
        const y = out.data as unknown[];
        for (let n = 0; n < size; n++) {
          const t = denominator === 0 ? 0 : (2 * Math.PI * n) / denominator;
          const v = a0 - a1 * Math.cos(t) + a2 * Math.cos(2 * t);
          y[n] = kind === 'big' ? BigInt(Math.trunc(v)) : kind === 'int' ? Math.trunc(v) : v;
        }
        return [out];
      };
    },
  };
}

registerKernel(
  cosineWindow('HannWindow', 0.5, 0.5, 0),
  cosineWindow('HammingWindow', 25 / 46, 21 / 46, 0),
  cosineWindow('BlackmanWindow', 0.42, 0.5, 0.08),
);
