/** GatherND/ScatterND addressing: index tuples of length k pick slices of the data, per batch. */
import { ShearsError } from '../../src/error.js';
import { describe } from '../../src/ir/node.js';
import type { Node } from '../../src/ir/node.js';
import { elementCount } from '../../src/ir/tensor.js';
import { stridesOf } from './axes.js';
import { checkedIndex } from './index-walk.js';

export interface NdLayout {
  /** Batches (product of the first batch_dims dims), index tuples per batch, tuple length. */
  batches: number;
  tuples: number;
  k: number;
  /** Elements of one batch of data, and of one picked slice. */
  batchSize: number;
  slice: number;
  /** Dims and element strides of the k indexed data dims. */
  indexedDims: number[];
  indexedStrides: number[];
  /** Shape of the gathered result / of the updates. */
  sliceShape: number[];
}

export function ndLayout(node: Node, data: readonly number[], indices: readonly number[], batchDims: number): NdLayout {
  const k = indices[indices.length - 1];
  const bad = (why: string): ShearsError => new ShearsError('E_SHAPE', `${describe(node)}: ${why}`, { node: node.name });
  if (indices.length < 1 || batchDims < 0 || batchDims >= indices.length || batchDims >= data.length) throw bad(`batch_dims ${batchDims} does not fit indices of rank ${indices.length}`);
  if (!(k >= 1 && k <= data.length - batchDims)) throw bad(`index tuples of length ${k} do not fit data of rank ${data.length} with batch_dims ${batchDims}`);
  for (let d = 0; d < batchDims; d++) if (data[d] !== indices[d]) throw bad('data and indices differ in a batch dim');
  const indexedDims = data.slice(batchDims, batchDims + k);
  const slice = elementCount(data.slice(batchDims + k));
  return {
    batches: elementCount(data.slice(0, batchDims)),
    tuples: elementCount(indices.slice(batchDims, -1)),
    k,
    batchSize: elementCount(data.slice(batchDims)),
    slice,
    indexedDims,
    indexedStrides: stridesOf(indexedDims).map((s) => s * slice),
    sliceShape: [...indices.slice(0, -1), ...data.slice(batchDims + k)],
  };
}

/** Offset within its batch of the slice that the tuple starting at `idx[at]` picks. */
export function tupleOffset(node: Node, layout: NdLayout, idx: ArrayLike<number | bigint>, at: number): number {
  let offset = 0;
  for (let j = 0; j < layout.k; j++) offset += checkedIndex(node, Number(idx[at + j]), layout.indexedDims[j]) * layout.indexedStrides[j];
  return offset;
}
