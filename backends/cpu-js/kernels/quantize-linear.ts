/**
 * QuantizeLinear (y = saturate(round_half_even(x / scale) + zero_point)) and DequantizeLinear
 * (y = (x - zero_point) * scale), per tensor or, from opset 13, per slice along `axis`. The
 * division is rounded to float32 first, as onnxruntime computes it.
 */
import { ShearsError } from '../../../src/error.js';
import { DType, dtypeName } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { registerKernel } from '../kernel.js';
import { roundHalfEven } from '../math-functions.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** Integer ranges of the quantized types. */
const RANGES: Partial<Record<DType, [number, number]>> = {
  [DType.UINT8]: [0, 255],
  [DType.INT8]: [-128, 127],
  [DType.UINT16]: [0, 65535],
  [DType.INT16]: [-32768, 32767],
  [DType.INT32]: [-2147483648, 2147483647],
};

/** How scale and zero point line up with the data: one value, or one per index of `axis` ([outer, size, inner]). */
interface Layout {
  outer: number;
  size: number;
  inner: number;
}

function layoutFor(node: Node, dims: readonly number[], scaleDims: readonly number[]): Layout {
  const total = elementCount(dims);
  if (elementCount(scaleDims) === 1 && scaleDims.length <= 1) return { outer: total, size: 1, inner: 1 };
  const axis = normalizeAxis(node, node.getInt('axis', 1), dims.length);
  if (scaleDims.length !== 1 || scaleDims[0] !== dims[axis]) {
    throw new ShearsError('E_SHAPE', `${describe(node)}: scale of shape [${scaleDims.join(',')}] is neither a scalar nor one per index of axis ${axis} (${dims[axis]})`, { node: node.name });
  }
  return { outer: elementCount(dims.slice(0, axis)), size: dims[axis], inner: elementCount(dims.slice(axis + 1)) };
}

const blockSupport = (node: Node): true | string => (node.getInt('block_size', 0) === 0 ? true : 'blocked quantization (block_size) is not supported');

registerKernel(
  {
    op: 'QuantizeLinear',
    since: 10,
    supports: blockSupport,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const scale = tensorTypeOf(node, ctx.inputTypes[1], 1);
      const zpType = ctx.inputTypes[2] ? tensorTypeOf(node, ctx.inputTypes[2], 2).dtype : undefined;
      const outType = (zpType ?? node.getInt('output_dtype', 0)) || DType.UINT8;
      const range = RANGES[outType as DType];
      if (!range || outType === DType.INT32) throw unsupportedType(node, outType as DType);
      if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE && x.dtype !== DType.INT32) throw unsupportedType(node, x.dtype);
      const [lo, hi] = range;
      const { outer, size, inner } = layoutFor(node, x.dims, scale.dims);
      return (inputs, rc) => {
        const X = tensorInput(node, inputs, 0).data as Float32Array;
        const S = tensorInput(node, inputs, 1).data as Float32Array;
        const Z = optionalTensor(inputs, 2)?.data as Int32Array | undefined;
        const out = rc.output(0, outType as DType, x.dims);
        const Y = out.data as Int32Array;
        for (let o = 0; o < outer; o++) {
          for (let a = 0; a < size; a++) {
            const s = S[a];
            const z = Z ? Z[a] : 0;
            const at = (o * size + a) * inner;
            for (let i = 0; i < inner; i++) {
              const q = roundHalfEven(Math.fround(X[at + i] / s)) + z;
              Y[at + i] = q < lo ? lo : q > hi ? hi : q;
            }
          }
        }
        return [out];
      };
    },
  },
  {
    op: 'DequantizeLinear',
    since: 10,
    supports: blockSupport,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const scale = tensorTypeOf(node, ctx.inputTypes[1], 1);
      if (!RANGES[x.dtype]) throw unsupportedType(node, x.dtype);
      if (scale.dtype !== DType.FLOAT && scale.dtype !== DType.DOUBLE) {
        throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: cpu-js has no DequantizeLinear kernel for ${dtypeName(scale.dtype)} scales`, { node: node.name });
      }
      const { outer, size, inner } = layoutFor(node, x.dims, scale.dims);
      return (inputs, rc) => {
        const X = tensorInput(node, inputs, 0).data as Int32Array;
        const S = tensorInput(node, inputs, 1).data as Float32Array;
        const Z = optionalTensor(inputs, 2)?.data as Int32Array | undefined;
        const out = rc.output(0, scale.dtype, x.dims);
        const Y = out.data as Float32Array;
        for (let o = 0; o < outer; o++) {
          for (let a = 0; a < size; a++) {
            const s = S[a];
            const z = Z ? Z[a] : 0;
            const at = (o * size + a) * inner;
            for (let i = 0; i < inner; i++) Y[at + i] = (X[at + i] - z) * s;
          }
        }
        return [out];
      };
    },
  },
);
