/**
 * Gemm: Y = alpha·A'·B' + beta·C with A' = transA ? Aᵀ : A (M×K), B' likewise (K×N), and C
 * broadcast to [M, N]. A constant B (a weight) is packed once at plan time. A C that varies only
 * per row (or is a scalar) becomes the epilogue's row bias; any other C is written into Y first and
 * the product accumulated onto it. A mostly-zero (pruned) constant float32 B runs through its CSR.
 * In lean memory mode no copy of a constant B is kept: a transposed one (a Linear layer's weight)
 * is read in place when C is per column, any other is packed on each run.
 */
import { DType } from '../../../src/ir/dtype.js';
import { elementwiseLoop } from '../elementwise.js';
import { Epilogue, zeroBiasFor } from '../gemm/gemm.js';
import { Strided, StridedGemm } from '../gemm/strided-gemm.js';
import { shapeError } from '../conv/geometry.js';
import { KernelContext, KernelRun, registerKernel } from '../kernel.js';
import { SPARSE_THRESHOLD, sparsity } from '../sparse/csr.js';
import { SparseLinear } from '../sparse/sparse-linear.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';
import { TransposedLinear } from '../transposed-linear.js';

registerKernel({
  op: 'Gemm',
  create(ctx) {
    const { node } = ctx;
    const a = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const b = tensorTypeOf(node, ctx.inputTypes[1], 1);
    if (a.dtype !== DType.FLOAT && a.dtype !== DType.DOUBLE) throw unsupportedType(node, a.dtype);
    if (a.dims.length !== 2 || b.dims.length !== 2) throw shapeError(node, `A [${a.dims.join(',')}] and B [${b.dims.join(',')}] must be matrices`);
    const transA = node.getInt('transA', 0) !== 0;
    const transB = node.getInt('transB', 0) !== 0;
    const alpha = node.getFloat('alpha', 1);
    const beta = node.getFloat('beta', 1);
    const [M, K] = transA ? [a.dims[1], a.dims[0]] : a.dims;
    const [K2, N] = transB ? [b.dims[1], b.dims[0]] : b.dims;
    if (K !== K2) throw shapeError(node, `inner dimensions ${K} and ${K2} differ`);
    const c = ctx.inputTypes[2] ? tensorTypeOf(node, ctx.inputTypes[2], 2) : null;
    const useC = c !== null && beta !== 0;
    const fitsMN = (dims: readonly number[]) => dims.length <= 2 && dims.every((d, i) => d === 1 || d === [M, N][i + 2 - dims.length]);
    if (c && !fitsMN(c.dims)) throw shapeError(node, `C [${c.dims.join(',')}] does not broadcast to [${M},${N}]`);
    const cSize = c ? c.dims.reduce((p, d) => p * d, 1) : 0;
    const perRow = useC && (cSize === 1 || (c!.dims.length === 2 && c!.dims[1] === 1 && N !== 1));
    const double = a.dtype === DType.DOUBLE;
    const bConst = ctx.constants[1];
    const lean = ctx.memory === 'lean';
    if (lean && bConst && transB && (!useC || perColumn(c!.dims))) {
      return transposedGemm(ctx, { M, N, K, alpha, beta, transB, c: useC ? c!.dims : null }, a.dtype, bConst.data as Float32Array | Float64Array);
    }
    if (!lean && bConst && !double && !transA && sparsity(bConst.data as Float32Array) >= SPARSE_THRESHOLD) {
      return sparseGemm(ctx, { M, N, K, alpha, beta, transB, c: useC ? c!.dims : null }, bConst.data as Float32Array);
    }
    const fixedB = bConst && !lean;
    const gemm = new StridedGemm(M, N, K, double ? Float64Array : Float32Array, double ? 'f64' : 'f32', fixedB ? 'fixed' : 'per-run');
    const bStrided = (data: ArrayLike<number>): Strided => ({ data, offset: 0, rowStride: transB ? 1 : N, colStride: transB ? K : 1 });
    if (fixedB) gemm.fixB(bStrided(bConst.data as Float32Array));
    const ep: Epilogue = { alpha, accumulate: useC && !perRow, bias: perRow ? new Float64Array(M) : zeroBiasFor(M), biasOff: 0, lo: -Infinity, hi: Infinity };
    const fillC = useC && !perRow ? elementwiseLoop(`x0 * ${beta}`, [c!.dims], [M, N], double ? 'f64' : 'f32') : null;
    return (inputs, rc) => {
      const A = tensorInput(node, inputs, 0).data as Float32Array;
      const C = optionalTensor(inputs, 2)?.data as Float32Array | undefined;
      const out = rc.output(0, a.dtype, [M, N]);
      const Y = out.data as Float32Array;
      if (perRow) scaleC(ep.bias, M, C!, beta);
      if (fillC) fillC(Y, [C!]);
      gemm.run({ data: A, offset: 0, rowStride: transA ? 1 : K, colStride: transA ? M : 1 }, fixedB ? null : bStrided(tensorInput(node, inputs, 1).data as Float32Array), Y, 0, N, ep);
      return [out];
    };
  },
});

interface GemmSpec {
  M: number;
  N: number;
  K: number;
  alpha: number;
  beta: number;
  transB: boolean;
  /** Dims of a C that takes part (beta ≠ 0), else null. */
  c: readonly number[] | null;
}

/** bias[i] = beta·C[i] for i < count, C being one value per row or column of Y, or a scalar (length 1). */
function scaleC(bias: Float64Array, count: number, C: ArrayLike<number>, beta: number): void {
  for (let i = 0; i < count; i++) bias[i] = beta * C[C.length === 1 ? 0 : i];
}

/** Whether C (broadcast to [M, N]) is a scalar or one value per column of Y. */
function perColumn(c: readonly number[]): boolean {
  const size = c.reduce((p, d) => p * d, 1);
  return size === 1 || c[c.length - 1] === size;
}

/** Gemm in lean memory mode with a constant B given transposed ([N×K], as Linear layers store it), read in place. */
function transposedGemm(ctx: KernelContext, g: GemmSpec, dtype: DType, b: Float32Array | Float64Array): KernelRun {
  const { node } = ctx;
  const { M, N, K, alpha, beta, c } = g;
  const transA = node.getInt('transA', 0) !== 0;
  const linear = new TransposedLinear(M, N, K, b, dtype === DType.DOUBLE ? 'f64' : 'f32');
  const ep: Epilogue = { alpha, accumulate: false, bias: c ? new Float64Array(N) : zeroBiasFor(N), biasOff: 0, lo: -Infinity, hi: Infinity };
  return (inputs, rc) => {
    const C = optionalTensor(inputs, 2)?.data as Float32Array | undefined;
    const out = rc.output(0, dtype, [M, N]);
    if (c) scaleC(ep.bias, N, C!, beta);
    linear.run({ data: tensorInput(node, inputs, 0).data as Float32Array, offset: 0, rowStride: transA ? 1 : K, colStride: transA ? M : 1 }, out.data as Float32Array, ep);
    return [out];
  };
}

/**
 * Gemm with a sparse constant B: Yᵀ = B'ᵀ·Aᵀ through B's CSR. In that orientation a C that varies
 * per output column (or is a scalar) is the row bias; any other C is written into Y first.
 */
function sparseGemm(ctx: KernelContext, g: GemmSpec, b: Float32Array): KernelRun {
  const { node } = ctx;
  const { M, N, K, alpha, beta, transB, c } = g;
  const sparse = new SparseLinear(M, N, K, b, transB ? 1 : N, transB ? K : 1);
  const columnBias = c !== null && perColumn(c);
  const ep: Epilogue = { alpha, accumulate: c !== null && !columnBias, bias: new Float64Array(N), biasOff: 0, lo: -Infinity, hi: Infinity };
  const fillC = ep.accumulate ? elementwiseLoop(`x0 * ${beta}`, [c!], [M, N], 'f32') : null;
  return (inputs, rc) => {
    const C = optionalTensor(inputs, 2)?.data as Float32Array | undefined;
    const out = rc.output(0, DType.FLOAT, [M, N]);
    const Y = out.data as Float32Array;
    if (columnBias) scaleC(ep.bias, N, C!, beta);
    if (fillC) fillC(Y, [C!]);
    sparse.run(tensorInput(node, inputs, 0).data as Float32Array, 0, K, Y, 0, ep);
    return [out];
  };
}
