/** Clip: bounds from attributes (before opset 11) or from optional scalar inputs. */
import { dtypeName } from '../../../src/ir/dtype.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { elementwiseLoop } from '../elementwise.js';
import { registerKernel } from '../kernel.js';
import { elementClass, optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

// `lo + 0` is a double: choosing between the tagged bound and a double makes V8 box every element (see gemm/microkernel.ts).
const EXPR = 'x0 < lo ? lo + 0 : x0 > hi ? hi + 0 : x0';

registerKernel(
  {
    op: 'Clip',
    create(ctx) {
      const { node } = ctx;
      const { dtype, dims } = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const loop = elementwiseLoop(EXPR, [dims], dims, `${dtypeName(dtype)},1`, { lo: node.getFloat('min', -Infinity), hi: node.getFloat('max', Infinity) });
      return (inputs, rc) => {
        const out = rc.output(0, dtype, dims);
        loop(out.data, [tensorInput(node, inputs, 0).data]);
        return [out];
      };
    },
  },
  {
    op: 'Clip',
    since: 11,
    create(ctx) {
      const { node } = ctx;
      const { dtype, dims } = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const cls = elementClass(dtype);
      if (cls !== 'float' && cls !== 'int' && cls !== 'big') throw unsupportedType(node, dtype);
      const none = cls === 'big' ? [null, null] : [-Infinity, Infinity];
      const bound = (t: Tensor | null, fallback: number | null): unknown => (t && t.size > 0 ? t.data[0] : fallback);
      const types = `${dtypeName(dtype)},11`;
      return (inputs, rc) => {
        const lo = bound(optionalTensor(inputs, 1), none[0]);
        const hi = bound(optionalTensor(inputs, 2), none[1]);
        const expr = cls === 'big' ? `${lo === null ? '' : 'x0 < lo ? lo : '}${hi === null ? '' : 'x0 > hi ? hi : '}x0` : EXPR;
        const out = rc.output(0, dtype, dims);
        elementwiseLoop(expr, [dims], dims, types, { lo, hi })(out.data, [tensorInput(node, inputs, 0).data]);
        return [out];
      };
    },
  },
);

