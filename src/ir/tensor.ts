import { ShearsError } from '../error.js';
import { DType, NumericArray, TensorData, arrayConstructor, dtypeName, isPacked4Bit, lanes, rawByteLength } from './dtype.js';
import { bfloat16ToFloat32, float16ToFloat32 } from './float16.js';

/** Where a tensor's bytes live. Views on the model file stay views until someone asks for typed data. */
export type TensorStorage =
  | { kind: 'array'; data: TensorData }
  | { kind: 'raw'; bytes: Uint8Array }
  | { kind: 'external'; location: string; offset: number; length: number; read: () => Uint8Array }
  | { kind: 'sparse'; values: Tensor; indices: Tensor };

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export class Tensor {
  name: string;
  readonly dtype: DType;
  readonly dims: readonly number[];
  private storage: TensorStorage;
  private cached: TensorData | undefined;

  constructor(dtype: DType, dims: readonly number[], storage: TensorStorage | TensorData, name = '') {
    this.dtype = dtype;
    this.dims = dims;
    this.name = name;
    this.storage = isStorage(storage) ? storage : { kind: 'array', data: storage };
    if (this.storage.kind === 'array') this.cached = this.storage.data;
  }

  static fromNumbers(dtype: DType, dims: readonly number[], values: ArrayLike<number | bigint>, name = ''): Tensor {
    if (dtype === DType.STRING) throw new ShearsError('E_MODEL_INVALID', 'string tensors are built from string arrays');
    const Ctor = arrayConstructor(dtype);
    const data = new Ctor(values.length * lanes(dtype));
    const big = data instanceof BigInt64Array || data instanceof BigUint64Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      (data as unknown as (number | bigint)[])[i] = big ? BigInt(v) : Number(v);
    }
    return new Tensor(dtype, dims, data, name);
  }

  get size(): number {
    return elementCount(this.dims);
  }

  get storageKind(): TensorStorage['kind'] {
    return this.storage.kind;
  }

  /** The storage as imported: external location, sparse parts, or in-memory data. */
  get source(): Readonly<TensorStorage> {
    return this.storage;
  }

  /** Raw little-endian byte length, known without reading the data. */
  get byteLength(): number {
    if (this.dtype === DType.STRING) return this.stringData().reduce((n, s) => n + Buffer.byteLength(s), 0);
    return rawByteLength(this.dtype, this.size);
  }

  /** Typed data (float16/bfloat16 as raw Uint16 bits). Copies only when the file bytes are misaligned. */
  get data(): TensorData {
    if (this.cached === undefined) this.cached = this.materialize();
    return this.cached;
  }

  /** Replace the data (passes that rewrite weights); the tensor stops referring to the file. */
  setData(data: TensorData): void {
    this.storage = { kind: 'array', data };
    this.cached = data;
  }

  stringData(): string[] {
    const data = this.data;
    if (!Array.isArray(data)) throw new ShearsError('E_MODEL_INVALID', `tensor '${this.name}' is ${dtypeName(this.dtype)}, not string`, { tensor: this.name });
    return data;
  }

  /** Little-endian bytes as ONNX raw_data holds them; a view where possible. */
  rawBytes(): Uint8Array {
    if (this.dtype === DType.STRING) throw new ShearsError('E_MODEL_INVALID', `string tensor '${this.name}' has no raw form`, { tensor: this.name });
    if (this.storage.kind === 'raw' && this.cached === undefined) return this.storage.bytes;
    if (this.storage.kind === 'external' && this.cached === undefined) return this.storage.read();
    const data = this.data as NumericArray;
    return new Uint8Array(data.buffer, data.byteOffset, rawByteLength(this.dtype, this.size));
  }

  /** Elements as JS numbers (float16/bfloat16 widened), for shape arithmetic and analysis. */
  toNumbers(): number[] {
    const data = this.data;
    if (Array.isArray(data)) throw new ShearsError('E_MODEL_INVALID', `string tensor '${this.name}' has no numeric value`, { tensor: this.name });
    const out = new Array<number>(data.length);
    const widen = this.dtype === DType.FLOAT16 ? float16ToFloat32 : this.dtype === DType.BFLOAT16 ? bfloat16ToFloat32 : null;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      out[i] = widen ? widen(v as number) : Number(v);
    }
    return out;
  }

  /** Number of elements exactly equal to zero (negative zero included). */
  countZeros(): number {
    if (this.dtype === DType.STRING) return 0;
    if (this.storage.kind === 'sparse' && this.cached === undefined) {
      return this.size - this.storage.values.size + this.storage.values.countZeros();
    }
    if (isPacked4Bit(this.dtype)) return 0;
    const data = this.data as NumericArray;
    const mask = this.dtype === DType.FLOAT16 || this.dtype === DType.BFLOAT16 ? 0x7fff : -1;
    let zeros = 0;
    if (mask !== -1) {
      for (let i = 0; i < data.length; i++) if (((data[i] as number) & mask) === 0) zeros++;
      return zeros;
    }
    const L = lanes(this.dtype);
    for (let i = 0; i < data.length; i += L) {
      let zero = true;
      for (let l = 0; l < L; l++) if (data[i + l] != 0) zero = false;
      if (zero) zeros++;
    }
    return zeros;
  }

  private materialize(): TensorData {
    const s = this.storage;
    switch (s.kind) {
      case 'array':
        return s.data;
      case 'raw':
        return viewBytes(this.dtype, s.bytes, this.name);
      case 'external':
        return viewBytes(this.dtype, s.read(), this.name);
      case 'sparse':
        return densify(this, s.values, s.indices);
    }
  }
}

function isStorage(x: TensorStorage | TensorData): x is TensorStorage {
  return !Array.isArray(x) && !ArrayBuffer.isView(x);
}

function viewBytes(dtype: DType, bytes: Uint8Array, name: string): NumericArray {
  const Ctor = arrayConstructor(dtype);
  const width = Ctor.BYTES_PER_ELEMENT;
  if (bytes.byteLength % width !== 0) {
    throw new ShearsError('E_MODEL_INVALID', `tensor '${name}' has ${bytes.byteLength} bytes, not a multiple of ${width}`, { tensor: name });
  }
  const length = bytes.byteLength / width;
  if (bytes.byteOffset % width === 0) return new Ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Ctor(copy.buffer, 0, length);
}

function densify(tensor: Tensor, values: Tensor, indices: Tensor): TensorData {
  const name = tensor.name;
  const size = tensor.size;
  const nnz = values.size;
  const coords = indices.toNumbers();
  const rank = tensor.dims.length;
  // Import checks indices; this also covers sparse tensors that passes or callers build.
  const position = (i: number): number => {
    let at = coords[i];
    if (indices.dims.length !== 1) {
      at = 0;
      for (let d = 0; d < rank; d++) {
        const c = coords[i * rank + d];
        if (!(c >= 0 && c < tensor.dims[d])) throw new ShearsError('E_MODEL_INVALID', `sparse tensor '${name}' has coordinate ${c} outside dim ${d} of size ${tensor.dims[d]}`, { tensor: name });
        at = at * tensor.dims[d] + c;
      }
    }
    if (!(Number.isInteger(at) && at >= 0 && at < size)) throw new ShearsError('E_MODEL_INVALID', `sparse tensor '${name}' has index ${at} outside its ${size} elements`, { tensor: name });
    return at;
  };
  const valueData = values.data;
  if (Array.isArray(valueData)) {
    const out = new Array<string>(size).fill('');
    for (let i = 0; i < nnz; i++) out[position(i)] = valueData[i];
    return out;
  }
  const Ctor = arrayConstructor(tensor.dtype);
  const L = lanes(tensor.dtype);
  const out = new Ctor(size * L);
  for (let i = 0; i < nnz; i++) {
    const at = position(i);
    for (let l = 0; l < L; l++) (out as unknown as (number | bigint)[])[at * L + l] = valueData[i * L + l];
  }
  return out;
}
