/**
 * NumPy .npy files (format versions 1–3): the header is a Python dict literal with 'descr',
 * 'fortran_order' and 'shape'. Numeric and bool arrays only; bfloat16 (which numpy lacks) is
 * written as float32.
 */
import { ShearsError } from '../error.js';
import { DType, arrayConstructor, dtypeName } from '../ir/dtype.js';
import { bfloat16ToFloat32 } from '../ir/float16.js';
import { Tensor, elementCount } from '../ir/tensor.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** numpy type code (without byte order) ↔ dtype. */
const CODES: [string, DType][] = [
  ['f4', DType.FLOAT],
  ['f8', DType.DOUBLE],
  ['f2', DType.FLOAT16],
  ['i1', DType.INT8],
  ['u1', DType.UINT8],
  ['i2', DType.INT16],
  ['u2', DType.UINT16],
  ['i4', DType.INT32],
  ['u4', DType.UINT32],
  ['i8', DType.INT64],
  ['u8', DType.UINT64],
  ['b1', DType.BOOL],
];

export function decodeNpy(bytes: Uint8Array, file = 'the .npy file'): Tensor {
  const bad = (why: string): ShearsError => new ShearsError('E_PARSE', `${file} is not a valid .npy file: ${why}`, { path: file });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('it does not start with \\x93NUMPY');
  const major = bytes[6];
  if (major < 1 || major > 3) throw bad(`format version ${major} is unknown`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw bad('the header is truncated');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeText) throw bad(`its header ${JSON.stringify(header.trim())} lacks descr, fortran_order or shape`);
  const dtype = CODES.find(([code]) => code === descr[2])?.[1];
  if (dtype === undefined) throw new ShearsError('E_IO', `${file} holds numpy type '${descr[1]}${descr[2]}', which shears cannot read (numeric and bool only)`, { path: file });
  const dims = shapeText[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw bad(`shape (${shapeText[1]}) is not a list of sizes`);
  const Ctor = arrayConstructor(dtype);
  const count = elementCount(dims);
  const dataStart = start + headerLength;
  const byteLength = count * Ctor.BYTES_PER_ELEMENT;
  if (dataStart + byteLength > bytes.length) throw bad(`shape (${dims.join(', ')}) needs ${byteLength} data bytes, the file has ${bytes.length - dataStart}`);
  const raw = new Uint8Array(bytes.subarray(dataStart, dataStart + byteLength));
  if (descr[1] === '>' && Ctor.BYTES_PER_ELEMENT > 1) swapBytes(raw, Ctor.BYTES_PER_ELEMENT);
  const data = new Ctor(raw.buffer, 0, count);
  const tensor = new Tensor(dtype, dims, data);
  return fortran[1] === 'True' ? fromFortranOrder(tensor) : tensor;
}

export function encodeNpy(tensor: Tensor): Uint8Array {
  let t = tensor;
  if (t.dtype === DType.BFLOAT16) t = new Tensor(DType.FLOAT, t.dims, Float32Array.from(t.data as Uint16Array, bfloat16ToFloat32));
  const code = CODES.find(([, d]) => d === t.dtype)?.[0];
  if (!code) throw new ShearsError('E_IO', `a ${dtypeName(t.dtype)} tensor cannot be written as .npy`, { tensor: t.name });
  const shape = t.dims.length === 1 ? `(${t.dims[0]},)` : `(${t.dims.join(', ')})`;
  const dict = `{'descr': '${code.endsWith('1') ? '|' : '<'}${code}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + dict.length + 1;
  const header = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const data = t.rawBytes();
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

function swapBytes(bytes: Uint8Array, width: number): void {
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

/** Column-major data reordered to row-major. */
function fromFortranOrder(t: Tensor): Tensor {
  const dims = t.dims;
  const src = t.data as ArrayLike<unknown>;
  const out = new (arrayConstructor(t.dtype))(t.size) as unknown as unknown[];
  const idx = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < t.size; i++) {
    let f = 0;
    for (let d = dims.length - 1; d >= 0; d--) f = f * dims[d] + idx[d];
    out[i] = src[f];
    for (let d = dims.length - 1; d >= 0; d--) {
      if (++idx[d] < dims[d]) break;
      idx[d] = 0;
    }
  }
  return new Tensor(t.dtype, dims, out as unknown as Float32Array);
}
