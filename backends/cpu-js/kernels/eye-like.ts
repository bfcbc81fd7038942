/** EyeLike: a 2-D tensor of the input's shape with ones on the k-th diagonal, in the input's dtype or `dtype`. */
import { ShearsError } from '../../../src/error.js';
import { DType, isKnownDType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { registerKernel } from '../kernel.js';
import { elementClass, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'EyeLike',
  since: 9,
  widenHalf: false,
  supports: (node) => {
    const d = node.getInt('dtype');
    return d === undefined || (isKnownDType(d) && d !== DType.UNDEFINED) ? true : `attribute 'dtype' ${d} is not a known dtype`;
  },
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dims.length !== 2) throw new ShearsError('E_SHAPE', `${describe(node)}: input must be 2-D, has rank ${x.dims.length}`, { node: node.name });
    const dtype = (node.getInt('dtype') ?? x.dtype) as DType;
    const kind = elementClass(dtype);
    if (kind === 'string') throw unsupportedType(node, dtype);
    const [rows, cols] = x.dims;
    const k = node.getInt('k', 0);
    const one = kind === 'big' ? 1n : dtype === DType.FLOAT16 ? 0x3c00 : dtype === DType.BFLOAT16 ? 0x3f80 : 1;
    const zero = kind === 'big' ? 0n : 0;
    return (_, rc) => {
      const out = rc.output(0, dtype, x.dims);
      const dst = out.data as unknown[];
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[i * cols + j] = j - i === k ? one : zero;
      return [out];
    };
  },
});
