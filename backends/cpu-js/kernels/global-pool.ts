/** GlobalAveragePool, GlobalMaxPool, GlobalLpPool: one value per (batch, channel) plane over all spatial axes. */
import { DType } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { shapeError } from '../conv/geometry.js';
import { KernelContext, KernelRun, registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

type Reducer = 'average' | 'max' | 'lp';

function createGlobalPool(ctx: KernelContext, reducer: Reducer): KernelRun {
  const { node } = ctx;
  const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
  if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
  if (x.dims.length < 3) throw shapeError(node, `input of rank ${x.dims.length} has no spatial axes`);
  const planes = x.dims[0] * x.dims[1];
  const size = elementCount(x.dims.slice(2));
  const outDims = [x.dims[0], x.dims[1], ...x.dims.slice(2).map(() => 1)];
  const p = node.getInt('p', 2);
  return (inputs, rc) => {
    const X = tensorInput(node, inputs, 0).data as Float32Array;
    const out = rc.output(0, x.dtype, outDims);
    const Y = out.data as Float32Array;
    for (let c = 0, at = 0; c < planes; c++) {
      let acc = reducer === 'max' ? -Infinity : 0;
      const end = at + size;
      if (reducer === 'max') for (; at < end; at++) acc = X[at] > acc || Number.isNaN(X[at]) ? X[at] : acc;
      else if (reducer === 'average') for (; at < end; at++) acc += X[at];
      else for (; at < end; at++) acc += Math.abs(X[at]) ** p;
      Y[c] = reducer === 'average' ? acc / size : reducer === 'lp' ? acc ** (1 / p) : acc;
    }
    return [out];
  };
}

registerKernel(
  { op: 'GlobalAveragePool', create: (ctx) => createGlobalPool(ctx, 'average') },
  { op: 'GlobalMaxPool', create: (ctx) => createGlobalPool(ctx, 'max') },
  { op: 'GlobalLpPool', create: (ctx) => createGlobalPool(ctx, 'lp') },
);
