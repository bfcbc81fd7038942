/** Converting tensor data between dtypes with ONNX Cast semantics. */
import { DType, TensorData, arrayConstructor, lanes } from '../../src/ir/dtype.js';
import { float32ToBfloat16, float32ToFloat16 } from '../../src/ir/float16.js';
import { Tensor } from '../../src/ir/tensor.js';
import { widenHalf } from './half.js';

/** The tensor's elements as JS values: numbers (halves widened), bigints, or strings. */
function elements(t: Tensor): ArrayLike<number | bigint | string> {
  return t.dtype === DType.FLOAT16 || t.dtype === DType.BFLOAT16 ? (widenHalf(t).data as Float32Array) : (t.data as ArrayLike<number | bigint | string>);
}

export function castTensor(t: Tensor, to: DType): Tensor {
  if (t.dtype === to) return t;
  const from = elements(t);
  const n = from.length;
  if (to === DType.STRING) {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = formatElement(from[i], t.dtype);
    return new Tensor(to, t.dims, out);
  }
  const out = new (arrayConstructor(to))(n * lanes(to)) as TensorData;
  const w = out as unknown as (number | bigint)[];
  const num = (v: number | bigint | string): number => (typeof v === 'string' ? parseNumber(v) : Number(v));
  switch (to) {
    case DType.FLOAT16:
    case DType.BFLOAT16: {
      const narrow = to === DType.FLOAT16 ? float32ToFloat16 : float32ToBfloat16;
      for (let i = 0; i < n; i++) w[i] = narrow(Math.fround(num(from[i])));
      break;
    }
    case DType.BOOL:
      for (let i = 0; i < n; i++) {
        const v = from[i];
        w[i] = typeof v === 'string' ? (parseNumber(v) !== 0 ? 1 : 0) : v ? 1 : 0;
      }
      break;
    case DType.INT64:
    case DType.UINT64:
      for (let i = 0; i < n; i++) {
        const v = from[i];
        w[i] = typeof v === 'bigint' ? v : toBigInt(num(v));
      }
      break;
    case DType.FLOAT:
    case DType.DOUBLE:
      for (let i = 0; i < n; i++) w[i] = num(from[i]);
      break;
    default:
      // Typed-array stores wrap integers modulo 2^bits; truncate floats toward zero first.
      for (let i = 0; i < n; i++) {
        const v = from[i];
        w[i] = typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : Math.trunc(num(v)) || 0;
      }
  }
  return new Tensor(to, t.dims, out);
}

function toBigInt(v: number): bigint {
  return Number.isFinite(v) ? BigInt(Math.trunc(v)) : v !== v ? 0n : v > 0 ? 0x7fffffffffffffffn : -0x8000000000000000n;
}

/** Strings to numbers as numpy reads them: "INF", "-inf", "NaN", "+1.5e3". */
function parseNumber(s: string): number {
  const t = s.trim().toLowerCase();
  if (/^[+-]?inf(inity)?$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(t)) return NaN;
  return Number(t);
}

/** Numbers as numpy's str() prints them: float32 in its shortest round-trip form. */
function formatElement(v: number | bigint | string, dtype: DType): string {
  if (typeof v !== 'number') return String(v);
  if (v !== v) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (dtype === DType.BOOL) return v ? 'True' : 'False';
  if (dtype !== DType.FLOAT && dtype !== DType.FLOAT16 && dtype !== DType.BFLOAT16) return String(v);
  let text = String(v);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = v.toPrecision(digits);
    if (Math.fround(Number(candidate)) === v) {
      text = String(Number(candidate));
      break;
    }
  }
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = Number(text).toExponential().split('e');
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return text;
}
