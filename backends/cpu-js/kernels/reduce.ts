/**
 * The Reduce family (Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare): axes from
 * the attribute (older opsets) or the second input (ReduceSum from 13, the rest from 18), keepdims,
 * and noop_with_empty_axes (empty axes then means identity instead of "all axes"). Floats and
 * 32-bit integers reduce in doubles; 64-bit integers in BigInt.
 */
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { normalizeAxes } from '../axes.js';
import { KernelContext, KernelRun, registerKernel } from '../kernel.js';
import { ReductionLayout, reductionLayout } from '../reduce/layout.js';
import { elementClass, intValues, optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

type Reducer = 'Sum' | 'Mean' | 'Max' | 'Min' | 'Prod' | 'L1' | 'L2' | 'LogSum' | 'LogSumExp' | 'SumSquare';

/** Opset from which each op takes its axes as an input. */
const AXES_INPUT_SINCE: Record<Reducer, number> = { Sum: 13, Mean: 18, Max: 18, Min: 18, Prod: 18, L1: 18, L2: 18, LogSum: 18, LogSumExp: 18, SumSquare: 18 };

function reduceNumbers(r: Reducer, X: ArrayLike<number>, base: number, offsets: Int32Array): number {
  const n = offsets.length;
  let acc = r === 'Max' ? -Infinity : r === 'Min' ? Infinity : r === 'Prod' ? 1 : 0;
  switch (r) {
    case 'Max':
      for (let i = 0; i < n; i++) {
        const v = X[base + offsets[i]];
        if (v > acc || v !== v) acc = v;
      }
      return acc;
    case 'Min':
      for (let i = 0; i < n; i++) {
        const v = X[base + offsets[i]];
        if (v < acc || v !== v) acc = v;
      }
      return acc;
    case 'Prod':
      for (let i = 0; i < n; i++) acc *= X[base + offsets[i]];
      return acc;
    case 'L1':
      for (let i = 0; i < n; i++) acc += Math.abs(X[base + offsets[i]]);
      return acc;
    case 'L2':
    case 'SumSquare':
      for (let i = 0; i < n; i++) {
        const v = X[base + offsets[i]];
        acc += v * v;
      }
      return r === 'L2' ? Math.sqrt(acc) : acc;
    case 'LogSumExp': {
      let max = -Infinity;
      for (let i = 0; i < n; i++) max = Math.max(max, X[base + offsets[i]]);
      if (!Number.isFinite(max)) max = 0;
      for (let i = 0; i < n; i++) acc += Math.exp(X[base + offsets[i]] - max);
      return Math.log(acc) + max;
    }
    default:
      for (let i = 0; i < n; i++) acc += X[base + offsets[i]];
      return r === 'Mean' ? acc / n : r === 'LogSum' ? Math.log(acc) : acc;
  }
}

function reduceBigInts(r: Reducer, X: BigInt64Array, base: number, offsets: Int32Array): bigint {
  const n = offsets.length;
  let acc = r === 'Prod' ? 1n : 0n;
  for (let i = 0; i < n; i++) {
    const v = X[base + offsets[i]];
    if (i === 0 && (r === 'Max' || r === 'Min')) acc = v;
    else if (r === 'Max') acc = v > acc ? v : acc;
    else if (r === 'Min') acc = v < acc ? v : acc;
    else if (r === 'Prod') acc *= v;
    else if (r === 'L1') acc += v < 0n ? -v : v;
    else if (r === 'SumSquare') acc += v * v;
    else acc += v;
  }
  return r === 'Mean' && n > 0 ? acc / BigInt(n) : acc;
}

function createReduce(ctx: KernelContext, r: Reducer): KernelRun {
  const { node } = ctx;
  const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
  const cls = elementClass(x.dtype);
  const big = cls === 'big';
  if (cls !== 'float' && cls !== 'int' && !big) throw unsupportedType(node, x.dtype);
  if (big && (r === 'L2' || r === 'LogSum' || r === 'LogSumExp')) throw unsupportedType(node, x.dtype);
  const rank = x.dims.length;
  const keepdims = node.getInt('keepdims', 1) !== 0;
  const noop = node.getInt('noop_with_empty_axes', 0) !== 0;
  const axesFromInput = ctx.opset >= AXES_INPUT_SINCE[r];
  const layouts = new Map<string, { layout: ReductionLayout; outDims: number[] } | null>();
  /** The layout for these axes (cached: axes given as a non-constant input may change between runs); null: identity. */
  const plan = (axesIn: number[] | null) => {
    const key = axesIn ? axesIn.join(',') : '*';
    let p = layouts.get(key);
    if (p === undefined) {
      const empty = !axesIn || axesIn.length === 0;
      if (empty && noop) p = null;
      else {
        const axes = empty ? x.dims.map((_, i) => i) : normalizeAxes(node, axesIn!, rank);
        const layout = reductionLayout(x.dims, axes);
        p = { layout, outDims: keepdims ? layout.keptDims : x.dims.filter((_, i) => !axes.includes(i)) };
      }
      layouts.set(key, p);
    }
    return p;
  };
  const attrAxes = axesFromInput ? null : (node.getInts('axes') ?? null);
  const axesConst = ctx.constants[1];
  if (!axesFromInput) plan(attrAxes);
  else if (axesConst) plan(intValues(axesConst));
  return (inputs, rc) => {
    const input = tensorInput(node, inputs, 0);
    const axesTensor = axesFromInput ? optionalTensor(inputs, 1) : null;
    const p = plan(axesFromInput ? (axesTensor ? intValues(axesTensor) : null) : attrAxes);
    if (!p) return [new Tensor(x.dtype, x.dims, input.data)];
    const { kept, reduced } = p.layout;
    const out = rc.output(0, x.dtype, p.outDims);
    if (big) {
      const X = input.data as BigInt64Array;
      const Y = out.data as BigInt64Array;
      for (let k = 0; k < kept.length; k++) Y[k] = reduceBigInts(r, X, kept[k], reduced);
    } else {
      const X = input.data as Float32Array;
      const Y = out.data as Float32Array;
      const truncate = cls === 'int' && r === 'Mean';
      for (let k = 0; k < kept.length; k++) {
        const v = reduceNumbers(r, X, kept[k], reduced);
        Y[k] = truncate ? Math.trunc(v) : v;
      }
    }
    return [out];
  };
}

const reducers: Reducer[] = ['Sum', 'Mean', 'Max', 'Min', 'Prod', 'L1', 'L2', 'LogSum', 'LogSumExp', 'SumSquare'];
for (const r of reducers) registerKernel({ op: `Reduce${r}`, create: (ctx) => createReduce(ctx, r) });
