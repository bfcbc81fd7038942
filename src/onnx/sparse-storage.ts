/**
 * Dense → sparse storage for initializers (ONNX `sparse_initializer`, a SparseTensorProto with
 * flat indices: an index tensor of shape [NNZ] holding linearized positions, ascending).
 *
 * onnxruntime densifies sparse initializers when it loads a model, so this saves file and
 * download bytes, not run-time memory. Current onnxruntime reads int8/int16/int32/int64 flat
 * indices; older builds, and onnx.checker, accept int64 only, hence `indexType`.
 */
import { ShearsError } from '../error.js';
import { DType, NumericArray, arrayConstructor, isPacked4Bit, lanes, rawByteLength } from '../ir/dtype.js';
import type { Model } from '../ir/model.js';
import { Tensor } from '../ir/tensor.js';

export type SparseIndexType = 'auto' | 'int8' | 'int16' | 'int32' | 'int64';

export const SPARSE_INDEX_TYPES: readonly SparseIndexType[] = ['auto', 'int8', 'int16', 'int32', 'int64'];

const INDEX_DTYPES: Record<Exclude<SparseIndexType, 'auto'>, { dtype: DType; bytes: number; max: number }> = {
  int8: { dtype: DType.INT8, bytes: 1, max: 127 },
  int16: { dtype: DType.INT16, bytes: 2, max: 32767 },
  int32: { dtype: DType.INT32, bytes: 4, max: 2 ** 31 - 1 },
  int64: { dtype: DType.INT64, bytes: 8, max: Number.MAX_SAFE_INTEGER },
};

/**
 * Bytes a SparseTensorProto adds beyond its values and indices payloads: field tags, lengths,
 * dims and the repeated name. A generous bound, so that a tensor is made sparse only when that
 * clearly saves bytes.
 */
const SPARSE_OVERHEAD_BYTES = 64;

/** The narrowest index type that can address every element of a tensor of `size` elements. */
export function narrowestIndexType(size: number): Exclude<SparseIndexType, 'auto'> {
  for (const t of ['int8', 'int16', 'int32', 'int64'] as const) if (size - 1 <= INDEX_DTYPES[t].max) return t;
  return 'int64';
}

export interface SparseChoice {
  /** The tensor in sparse storage, or null when dense storage is as small or smaller. */
  sparse: Tensor | null;
  denseBytes: number;
  sparseBytes: number;
  nonzeros: number;
  indexType: Exclude<SparseIndexType, 'auto'>;
}

/** Whether `tensor` can be held sparse at all: numeric, one array element per tensor element, not 4-bit packed. */
export function canStoreSparse(tensor: Tensor): boolean {
  return tensor.dtype !== DType.STRING && !isPacked4Bit(tensor.dtype) && lanes(tensor.dtype) === 1 && tensor.size > 0;
}

/** Compare dense and sparse sizes of `tensor` and build the sparse form when it is smaller. */
export function chooseSparseStorage(tensor: Tensor, indexType: SparseIndexType = 'auto'): SparseChoice {
  const size = tensor.size;
  const chosen = indexType === 'auto' ? narrowestIndexType(size) : indexType;
  const index = INDEX_DTYPES[chosen];
  if (size - 1 > index.max) {
    throw new ShearsError('E_USAGE', `sparse index type ${chosen} cannot address the ${size} elements of '${tensor.name}'; use int32 or int64`, { tensor: tensor.name });
  }
  const denseBytes = rawByteLength(tensor.dtype, size);
  const data = tensor.data as NumericArray;
  const nonzeros = countNonzeros(tensor.dtype, data);
  const sparseBytes = nonzeros * (rawByteLength(tensor.dtype, 1) + index.bytes) + SPARSE_OVERHEAD_BYTES;
  if (sparseBytes >= denseBytes) return { sparse: null, denseBytes, sparseBytes, nonzeros, indexType: chosen };
  const values = new (arrayConstructor(tensor.dtype))(nonzeros);
  const positions = new (arrayConstructor(index.dtype))(nonzeros);
  const big = positions instanceof BigInt64Array;
  const isZero = zeroTest(tensor.dtype);
  let at = 0;
  for (let i = 0; i < data.length; i++) {
    if (isZero(data[i])) continue;
    values[at] = data[i];
    positions[at] = big ? BigInt(i) : i;
    at++;
  }
  const sparse = new Tensor(
    tensor.dtype,
    tensor.dims,
    { kind: 'sparse', values: new Tensor(tensor.dtype, [nonzeros], values, tensor.name), indices: new Tensor(index.dtype, [nonzeros], positions) },
    tensor.name,
  );
  return { sparse, denseBytes, sparseBytes, nonzeros, indexType: chosen };
}

export interface SparseStorageReport {
  /** Initializers now stored sparse: their dense and sparse payload bytes, and the index type used. */
  converted: { name: string; denseBytes: number; sparseBytes: number; indexType: Exclude<SparseIndexType, 'auto'> }[];
  indexType: SparseIndexType;
}

/**
 * Store every initializer of the model (and its subgraphs) sparse where that is smaller. Inputs
 * that carry a default initializer stay dense: a sparse_initializer cannot double as a graph input.
 * Models older than IR version 6 have no sparse_initializer; they are left as they are.
 */
export function storeSparse(model: Model, indexType: SparseIndexType = 'auto'): SparseStorageReport {
  const converted: SparseStorageReport['converted'] = [];
  if (model.irVersion < 6) return { converted, indexType };
  for (const g of model.graph.allGraphs()) {
    for (const v of g.initializers) {
      const t = v.initializer!;
      if (v.isGraphInput || t.storageKind === 'sparse' || !canStoreSparse(t)) continue;
      const choice = chooseSparseStorage(t, indexType);
      if (!choice.sparse) continue;
      v.initializer = choice.sparse;
      converted.push({ name: v.name, denseBytes: choice.denseBytes, sparseBytes: choice.sparseBytes, indexType: choice.indexType });
    }
  }
  return { converted, indexType };
}

function countNonzeros(dtype: DType, data: NumericArray): number {
  const isZero = zeroTest(dtype);
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!isZero(data[i])) n++;
  return n;
}

/** Zero as the dtype means it: ±0 for floats (16-bit floats held as raw bits), 0 for integers. */
function zeroTest(dtype: DType): (x: number | bigint) => boolean {
  if (dtype === DType.FLOAT16 || dtype === DType.BFLOAT16) return (x) => ((x as number) & 0x7fff) === 0;
  // -0 is dropped too: densifying restores +0, which every consumer treats alike.
  return (x) => x == 0;
}
