/**
 * onnxruntime-node as a reference engine for tests and benchmarks (never used by src/).
 * Converts shears `Tensor` ↔ `ort.Tensor` and runs a model on named inputs.
 */
import * as ort from 'onnxruntime-node';
import { DType, NumericArray, dtypeName } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';

export type OrtType = ort.Tensor.Type;

/**
 * ONNX data types that onnxruntime-node can bind. The rest it cannot: bfloat16, float8 and complex have
 * no JS type, and its native binding refuses int4/uint4 tensors ("Tensor.type is not supported") though
 * onnxruntime-common declares them.
 */
const ORT_TYPES: ReadonlyMap<DType, OrtType> = new Map<DType, OrtType>([
  [DType.FLOAT, 'float32'],
  [DType.UINT8, 'uint8'],
  [DType.INT8, 'int8'],
  [DType.UINT16, 'uint16'],
  [DType.INT16, 'int16'],
  [DType.INT32, 'int32'],
  [DType.INT64, 'int64'],
  [DType.STRING, 'string'],
  [DType.BOOL, 'bool'],
  [DType.FLOAT16, 'float16'],
  [DType.DOUBLE, 'float64'],
  [DType.UINT32, 'uint32'],
  [DType.UINT64, 'uint64'],
]);

const DTYPES: ReadonlyMap<OrtType, DType> = new Map([...ORT_TYPES].map(([d, o]) => [o, d]));

export function ortTypeOf(dtype: DType): OrtType | undefined {
  return ORT_TYPES.get(dtype);
}

export function toOrtTensor(t: Tensor): ort.Tensor {
  const type = ORT_TYPES.get(t.dtype);
  if (type === undefined) throw new Error(`onnxruntime-node cannot bind ${dtypeName(t.dtype)} tensor '${t.name}'`);
  const dims = [...t.dims];
  if (type === 'string') return new ort.Tensor('string', t.stringData(), dims);
  return new ort.Tensor(type, t.data as ort.Tensor.DataTypeMap[typeof type], dims);
}

export function fromOrtTensor(t: ort.Tensor, name = ''): Tensor {
  const dtype = DTYPES.get(t.type as OrtType);
  if (dtype === undefined) throw new Error(`onnxruntime-node returned a tensor of unknown type '${t.type}'`);
  const dims = [...t.dims];
  if (dtype === DType.STRING) return new Tensor(dtype, dims, [...(t.data as string[])], name);
  return new Tensor(dtype, dims, t.data as NumericArray, name);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface RunOptions {
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

/** Load a model (bytes, or a path so that external data resolves beside it) and run it once. */
export async function runOrt(model: Uint8Array | string, inputs: Record<string, Tensor>, options: RunOptions = {}): Promise<Record<string, Tensor>> {
  const session = await createSession(model, options.sessionOptions);
  try {
    return await runSession(session, inputs);
  } finally {
    await session.release();
  }
}

export function createSession(model: Uint8Array | string, sessionOptions: ort.InferenceSession.SessionOptions = {}): Promise<ort.InferenceSession> {
  // Two overloads, one per argument kind.
  return typeof model === 'string' ? ort.InferenceSession.create(model, sessionOptions) : ort.InferenceSession.create(model, sessionOptions);
}

export async function runSession(session: ort.InferenceSession, inputs: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, t] of Object.entries(inputs)) feeds[name] = toOrtTensor(t);
  const results = await session.run(feeds);
  const out: Record<string, Tensor> = {};
  for (const name of session.outputNames) out[name] = fromOrtTensor(results[name], name);
  return out;
}

/** Same dtype, dims and bytes (so NaN equals NaN exactly when the bits agree, and -0 differs from 0). */
export function bitwiseEqual(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i])) return false;
  if (a.dtype === DType.STRING) {
    const x = a.stringData();
    const y = b.stringData();
    return x.length === y.length && x.every((s, i) => s === y[i]);
  }
  return asBuffer(a.rawBytes()).equals(asBuffer(b.rawBytes()));
}

/** The first way two output sets differ, or undefined when they are bitwise identical. */
export function outputDifference(expected: Record<string, Tensor>, actual: Record<string, Tensor>): string | undefined {
  const names = Object.keys(expected);
  const other = Object.keys(actual);
  if (names.length !== other.length || names.some((n) => !(n in actual))) return `outputs [${names}] vs [${other}]`;
  for (const name of names) {
    const a = expected[name];
    const b = actual[name];
    if (!bitwiseEqual(a, b)) return `output '${name}': ${describe(a)} vs ${describe(b)}`;
  }
  return undefined;
}

function describe(t: Tensor): string {
  return `${dtypeName(t.dtype)}[${t.dims.join(',')}]`;
}
