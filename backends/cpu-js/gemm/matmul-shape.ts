/**
 * numpy matmul shapes, shared by MatMul and MatMulInteger: 1-D operands are promoted (and the added
 * dim dropped from the result), batch dims broadcast, and each batch's matrices located.
 */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { broadcastDims } from '../broadcast.js';

export interface MatmulShape {
  M: number;
  K: number;
  N: number;
  batches: number;
  outDims: number[];
  /** Element offset of batch t's matrix in A and in B. */
  aOffsets: Int32Array;
  bOffsets: Int32Array;
  /** B is one matrix for every batch, and A's batches are its own (not broadcast): one GEMM of batches·M rows. */
  rowsFlatten: boolean;
}

export function matmulShape(node: Node, a: readonly number[], b: readonly number[]): MatmulShape {
  const aDims = a.length === 1 ? [1, a[0]] : a;
  const bDims = b.length === 1 ? [b[0], 1] : b;
  if (aDims.length < 2 || bDims.length < 2) throw new ShearsError('E_SHAPE', `${describe(node)}: operands must have rank 1 or more`, { node: node.name });
  const [M, K] = aDims.slice(-2);
  const [K2, N] = bDims.slice(-2);
  if (K !== K2) throw new ShearsError('E_SHAPE', `${describe(node)}: inner dimensions ${K} and ${K2} differ`, { node: node.name });
  const aBatch = aDims.slice(0, -2);
  const bBatch = bDims.slice(0, -2);
  const batch = broadcastDims(node, [aBatch, bBatch]);
  const outDims = [...batch, M, N];
  if (a.length === 1) outDims.splice(-2, 1);
  if (b.length === 1) outDims.splice(-1, 1);
  return {
    M,
    K,
    N,
    batches: elementCount(batch),
    outDims,
    aOffsets: batchOffsets(batch, aBatch, M * K),
    bOffsets: batchOffsets(batch, bBatch, K * N),
    rowsFlatten: elementCount(bBatch) === 1 && elementCount(aBatch) === elementCount(batch),
  };
}

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
