/**
 * MatMul with numpy semantics: 1-D operands are promoted and the added dim dropped again, batch dims
 * broadcast. A plain triple loop (i-k-j order, so the innermost loop walks both B and the output
 * contiguously); faster blocked versions can replace it behind the same registration.
 */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { broadcastDims } from '../broadcast.js';
import { registerKernel } from '../kernel.js';
import { elementClass, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'MatMul',
  create(ctx) {
    const { node } = ctx;
    const a = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const b = tensorTypeOf(node, ctx.inputTypes[1], 1);
    if (elementClass(a.dtype) === 'big' || elementClass(a.dtype) === 'string' || elementClass(a.dtype) === 'bool') throw unsupportedType(node, a.dtype);
    const aDims = a.dims.length === 1 ? [1, a.dims[0]] : a.dims;
    const bDims = b.dims.length === 1 ? [b.dims[0], 1] : b.dims;
    if (aDims.length < 2 || bDims.length < 2) throw new ShearsError('E_SHAPE', `${describe(node)}: operands must have rank 1 or more`, { node: node.name });
    const [M, K] = aDims.slice(-2);
    const [K2, N] = bDims.slice(-2);
    if (K !== K2) throw new ShearsError('E_SHAPE', `${describe(node)}: inner dimensions ${K} and ${K2} differ`, { node: node.name });
    const batch = broadcastDims(node, [aDims.slice(0, -2), bDims.slice(0, -2)]);
    const outDims = [...batch, M, N];
    if (a.dims.length === 1) outDims.splice(-2, 1);
    if (b.dims.length === 1) outDims.splice(-1, 1);
    const batches = elementCount(batch);
    const aBatch = batchOffsets(batch, aDims.slice(0, -2), M * K);
    const bBatch = batchOffsets(batch, bDims.slice(0, -2), K * N);
    return (inputs, rc) => {
      const A = tensorInput(node, inputs, 0).data as Float32Array;
      const B = tensorInput(node, inputs, 1).data as Float32Array;
      const out = rc.output(0, a.dtype, outDims);
      const C = out.data as Float32Array;
      C.fill(0);
      for (let t = 0; t < batches; t++) {
        const ao = aBatch[t];
        const bo = bBatch[t];
        const co = t * M * N;
        for (let i = 0; i < M; i++) {
          for (let k = 0; k < K; k++) {
            const aik = A[ao + i * K + k];
            const bRow = bo + k * N;
            const cRow = co + i * N;
            for (let j = 0; j < N; j++) C[cRow + j] += aik * B[bRow + j];
          }
        }
      }
      return [out];
    };
  },
});

/** Element offset of each broadcast batch's matrix within an operand of batch dims `dims`. */
function batchOffsets(batch: readonly number[], dims: readonly number[], matrixSize: number): Int32Array {
  const count = elementCount(batch);
  const offsets = new Int32Array(count);
  const pad = batch.length - dims.length;
  for (let t = 0; t < count; t++) {
    let rest = t;
    let offset = 0;
    let stride = matrixSize;
    for (let d = batch.length - 1; d >= 0; d--) {
      const i = rest % batch[d];
      rest = Math.floor(rest / batch[d]);
      const own = d - pad >= 0 ? dims[d - pad] : 1;
      if (own !== 1) offset += i * stride;
      stride *= own;
    }
    offsets[t] = offset;
  }
  return offsets;
}
