/** ArgMax and ArgMin along one axis (keepdims, select_last_index), as int64 indices. */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { normalizeAxis } from '../axes.js';
import { KernelContext, KernelRun, registerKernel } from '../kernel.js';
import { elementClass, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function createArg(ctx: KernelContext, max: boolean): KernelRun {
  const { node } = ctx;
  const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
  const cls = elementClass(x.dtype);
  if (cls !== 'float' && cls !== 'int' && cls !== 'big') throw unsupportedType(node, x.dtype);
  const axis = normalizeAxis(node, node.getInt('axis', 0), x.dims.length);
  const last = node.getInt('select_last_index', 0) !== 0;
  const keepdims = node.getInt('keepdims', 1) !== 0;
  const outDims = keepdims ? x.dims.map((d, i) => (i === axis ? 1 : d)) : x.dims.filter((_, i) => i !== axis);
  const outer = elementCount(x.dims.slice(0, axis));
  const n = x.dims[axis];
  const inner = elementCount(x.dims.slice(axis + 1));
  return (inputs, rc) => {
    const X = tensorInput(node, inputs, 0).data as Float32Array;
    const out = rc.output(0, DType.INT64, outDims);
    const Y = out.data as BigInt64Array;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = X[base];
        let arg = 0;
        for (let k = 1, at = base + inner; k < n; k++, at += inner) {
          const v = X[at];
          if (max ? v > best || (last && v === best) : v < best || (last && v === best)) {
            best = v;
            arg = k;
          }
        }
        Y[o * inner + i] = BigInt(arg);
      }
    }
    return [out];
  };
}

registerKernel({ op: 'ArgMax', create: (ctx) => createArg(ctx, true) }, { op: 'ArgMin', create: (ctx) => createArg(ctx, false) });
