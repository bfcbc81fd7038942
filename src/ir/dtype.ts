/** ONNX TensorProto.DataType numbering, so that the IR and the file format agree on every value. */
export enum DType {
  UNDEFINED = 0,
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  UINT16 = 4,
  INT16 = 5,
  INT32 = 6,
  INT64 = 7,
  STRING = 8,
  BOOL = 9,
  FLOAT16 = 10,
  DOUBLE = 11,
  UINT32 = 12,
  UINT64 = 13,
  COMPLEX64 = 14,
  COMPLEX128 = 15,
  BFLOAT16 = 16,
  FLOAT8E4M3FN = 17,
  FLOAT8E4M3FNUZ = 18,
  FLOAT8E5M2 = 19,
  FLOAT8E5M2FNUZ = 20,
  UINT4 = 21,
  INT4 = 22,
  FLOAT4E2M1 = 23,
}

export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export type TensorData = NumericArray | string[];

type ArrayCtor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray; new (length: number): NumericArray; BYTES_PER_ELEMENT: number };

interface DTypeInfo {
  name: string;
  /** Bytes per element in raw_data; 0.5 for 4-bit types, 0 for strings. */
  bytes: number;
  /** How elements are held in memory: float16/bfloat16/float8 stay raw bits until computed. */
  array: ArrayCtor | null;
  /** Complex numbers hold two array elements per tensor element. */
  lanes: number;
  float: boolean;
}

const info: Record<DType, DTypeInfo> = {
  [DType.UNDEFINED]: { name: 'undefined', bytes: 0, array: null, lanes: 1, float: false },
  [DType.FLOAT]: { name: 'float32', bytes: 4, array: Float32Array, lanes: 1, float: true },
  [DType.UINT8]: { name: 'uint8', bytes: 1, array: Uint8Array, lanes: 1, float: false },
  [DType.INT8]: { name: 'int8', bytes: 1, array: Int8Array, lanes: 1, float: false },
  [DType.UINT16]: { name: 'uint16', bytes: 2, array: Uint16Array, lanes: 1, float: false },
  [DType.INT16]: { name: 'int16', bytes: 2, array: Int16Array, lanes: 1, float: false },
  [DType.INT32]: { name: 'int32', bytes: 4, array: Int32Array, lanes: 1, float: false },
  [DType.INT64]: { name: 'int64', bytes: 8, array: BigInt64Array as unknown as ArrayCtor, lanes: 1, float: false },
  [DType.STRING]: { name: 'string', bytes: 0, array: null, lanes: 1, float: false },
  [DType.BOOL]: { name: 'bool', bytes: 1, array: Uint8Array, lanes: 1, float: false },
  [DType.FLOAT16]: { name: 'float16', bytes: 2, array: Uint16Array, lanes: 1, float: true },
  [DType.DOUBLE]: { name: 'float64', bytes: 8, array: Float64Array, lanes: 1, float: true },
  [DType.UINT32]: { name: 'uint32', bytes: 4, array: Uint32Array, lanes: 1, float: false },
  [DType.UINT64]: { name: 'uint64', bytes: 8, array: BigUint64Array as unknown as ArrayCtor, lanes: 1, float: false },
  [DType.COMPLEX64]: { name: 'complex64', bytes: 8, array: Float32Array, lanes: 2, float: true },
  [DType.COMPLEX128]: { name: 'complex128', bytes: 16, array: Float64Array, lanes: 2, float: true },
  [DType.BFLOAT16]: { name: 'bfloat16', bytes: 2, array: Uint16Array, lanes: 1, float: true },
  [DType.FLOAT8E4M3FN]: { name: 'float8e4m3fn', bytes: 1, array: Uint8Array, lanes: 1, float: true },
  [DType.FLOAT8E4M3FNUZ]: { name: 'float8e4m3fnuz', bytes: 1, array: Uint8Array, lanes: 1, float: true },
  [DType.FLOAT8E5M2]: { name: 'float8e5m2', bytes: 1, array: Uint8Array, lanes: 1, float: true },
  [DType.FLOAT8E5M2FNUZ]: { name: 'float8e5m2fnuz', bytes: 1, array: Uint8Array, lanes: 1, float: true },
  [DType.UINT4]: { name: 'uint4', bytes: 0.5, array: Uint8Array, lanes: 1, float: false },
  [DType.INT4]: { name: 'int4', bytes: 0.5, array: Uint8Array, lanes: 1, float: false },
  [DType.FLOAT4E2M1]: { name: 'float4e2m1', bytes: 0.5, array: Uint8Array, lanes: 1, float: true },
};

export function isKnownDType(code: number): code is DType {
  return Number.isInteger(code) && code in info;
}

export function dtypeName(dtype: DType): string {
  return info[dtype]?.name ?? `dtype(${dtype})`;
}

export function dtypeFromName(name: string): DType | undefined {
  for (const [code, entry] of Object.entries(info)) if (entry.name === name) return Number(code) as DType;
  return undefined;
}

export function isFloat(dtype: DType): boolean {
  return info[dtype]?.float ?? false;
}

export function isPacked4Bit(dtype: DType): boolean {
  return info[dtype]?.bytes === 0.5;
}

/** Bytes needed to hold `count` elements as ONNX raw_data (4-bit types pack two per byte). */
export function rawByteLength(dtype: DType, count: number): number {
  const bytes = info[dtype]?.bytes ?? 0;
  return bytes === 0.5 ? Math.ceil(count / 2) : count * bytes;
}

export function arrayConstructor(dtype: DType): ArrayCtor {
  const ctor = info[dtype]?.array;
  if (!ctor) throw new Error(`dtype ${dtypeName(dtype)} has no numeric array form`);
  return ctor;
}

/** Array elements per tensor element (2 for complex, else 1). */
export function lanes(dtype: DType): number {
  return info[dtype]?.lanes ?? 1;
}
