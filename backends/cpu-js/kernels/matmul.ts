/**
 * MatMul with numpy semantics (matmul-shape.ts). Floats go through the blocked GEMM: a constant B
 * (a weight) is packed once at plan time, and when B is shared by every batch, A's batches become
 * rows of one GEMM. A constant float32 B that is mostly zeros (pruned) runs through its CSR
 * instead. In lean memory mode neither copy is kept: B is packed on each run. Integer types wrap
 * as C does, computed by a plain loop.
 */
import { DType } from '../../../src/ir/dtype.js';
import type { Node } from '../../../src/ir/node.js';
import { plainEpilogue } from '../gemm/gemm.js';
import { MatmulShape, matmulShape } from '../gemm/matmul-shape.js';
import { StridedGemm } from '../gemm/strided-gemm.js';
import { SPARSE_THRESHOLD, sparsity } from '../sparse/csr.js';
import { SparseLinear } from '../sparse/sparse-linear.js';
import { KernelRun, registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';
import type { Tensor } from '../../../src/ir/tensor.js';

/** `lean`: keep no copy of a constant B (MemoryMode); it is packed on each run instead. */
function floatMatmul(node: Node, s: MatmulShape, dtype: DType, bConst: Tensor | null, lean: boolean): KernelRun {
  const double = dtype === DType.DOUBLE;
  const { M, K, N, batches, rowsFlatten } = s;
  const rows = rowsFlatten ? batches * M : M;
  if (!lean && bConst && rowsFlatten && !double && sparsity(bConst.data as Float32Array) >= SPARSE_THRESHOLD) {
    const sparse = new SparseLinear(rows, N, K, bConst.data as Float32Array, N, 1);
    const plain = plainEpilogue(N);
    return (inputs, rc) => {
      const out = rc.output(0, dtype, s.outDims);
      sparse.run(tensorInput(node, inputs, 0).data as Float32Array, 0, K, out.data as Float32Array, 0, plain);
      return [out];
    };
  }
  const fixedB = !lean && bConst !== null && rowsFlatten;
  const gemm = new StridedGemm(rows, N, K, double ? Float64Array : Float32Array, double ? 'f64' : 'f32', fixedB ? 'fixed' : 'per-run');
  if (fixedB) gemm.fixB({ data: bConst.data as Float32Array, offset: 0, rowStride: N, colStride: 1 });
  const ep = plainEpilogue(rows);
  return (inputs, rc) => {
    const A = tensorInput(node, inputs, 0).data as Float32Array;
    const B = tensorInput(node, inputs, 1).data as Float32Array;
    const out = rc.output(0, dtype, s.outDims);
    const C = out.data as Float32Array;
    if (rowsFlatten) {
      gemm.run({ data: A, offset: 0, rowStride: K, colStride: 1 }, gemm.hasFixedB ? null : { data: B, offset: 0, rowStride: N, colStride: 1 }, C, 0, N, ep);
      return [out];
    }
    for (let t = 0; t < batches; t++) {
      gemm.run({ data: A, offset: s.aOffsets[t], rowStride: K, colStride: 1 }, { data: B, offset: s.bOffsets[t], rowStride: N, colStride: 1 }, C, t * M * N, N, ep);
    }
    return [out];
  };
}

/** C-style wrapping integer matmul (int32/uint32 via Math.imul, 64-bit via BigInt). */
function integerMatmul(node: Node, s: MatmulShape, dtype: DType): KernelRun {
  const { M, K, N, batches } = s;
  const big = dtype === DType.INT64 || dtype === DType.UINT64;
  return (inputs, rc) => {
    const A = tensorInput(node, inputs, 0).data;
    const B = tensorInput(node, inputs, 1).data;
    const out = rc.output(0, dtype, s.outDims);
    const C = out.data as Int32Array | BigInt64Array;
    for (let t = 0; t < batches; t++) {
      const ao = s.aOffsets[t];
      const bo = s.bOffsets[t];
      for (let i = 0; i < M; i++) {
        for (let j = 0; j < N; j++) {
          if (big) {
            let acc = 0n;
            for (let k = 0; k < K; k++) acc += (A[ao + i * K + k] as bigint) * (B[bo + k * N + j] as bigint);
            (C as BigInt64Array)[t * M * N + i * N + j] = acc;
          } else {
            let acc = 0;
            for (let k = 0; k < K; k++) acc = (acc + Math.imul(A[ao + i * K + k] as number, B[bo + k * N + j] as number)) | 0;
            (C as Int32Array)[t * M * N + i * N + j] = acc;
          }
        }
      }
    }
    return [out];
  };
}

registerKernel({
  op: 'MatMul',
  create(ctx) {
    const { node } = ctx;
    const a = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const b = tensorTypeOf(node, ctx.inputTypes[1], 1);
    const s = matmulShape(node, a.dims, b.dims);
    switch (a.dtype) {
      case DType.FLOAT:
      case DType.DOUBLE:
        return floatMatmul(node, s, a.dtype, ctx.constants[1], ctx.memory === 'lean');
      case DType.INT32:
      case DType.UINT32:
      case DType.INT64:
      case DType.UINT64:
        return integerMatmul(node, s, a.dtype);
      default:
        throw unsupportedType(node, a.dtype);
    }
  },
});
