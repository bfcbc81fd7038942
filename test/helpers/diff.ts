/**
 * Differential testing of passes: the original and the optimized model run in onnxruntime-node on
 * the same inputs; outputs must match within tolerance (floats) or exactly (everything else).
 */
import { DType, dtypeName } from '../../src/ir/dtype.js';
import type { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import type { Value } from '../../src/ir/value.js';
import { encodeModel } from '../../src/onnx/export.js';
import { runOrt } from './ort.js';
import { seededRandom } from '../../src/util/random.js';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/** float32 and float64: the issue's tolerances. float16 carries 11 bits, so it gets a looser one. */
export const FLOAT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };
export const HALF_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-3 };

/** ORT warns about unused initializers in originals; only errors matter here. */
const QUIET = { sessionOptions: { logSeverityLevel: 3 as const } };

export type ModelInput = Uint8Array | string | Model;

function bytesOf(m: ModelInput): Uint8Array | string {
  return typeof m === 'string' || m instanceof Uint8Array ? m : encodeModel(m).bytes;
}

/**
 * Run both models in ORT on `inputs`; undefined when every output matches, else the first
 * difference. Throws when ORT cannot run the original (the caller decides whether that counts).
 */
export async function diffModels(original: ModelInput, optimized: ModelInput, inputs: Record<string, Tensor>, tolerance?: Tolerance): Promise<string | undefined> {
  const expected = await runOrt(bytesOf(original), inputs, QUIET);
  let actual: Record<string, Tensor>;
  try {
    actual = await runOrt(bytesOf(optimized), inputs, QUIET);
  } catch (e) {
    return `ORT cannot run the optimized model: ${(e as Error).message}`;
  }
  return compareOutputs(expected, actual, tolerance);
}

/** Throwing form of `diffModels`, for tests. */
export async function expectSameOutputs(original: ModelInput, optimized: ModelInput, inputs: Record<string, Tensor>, tolerance?: Tolerance): Promise<void> {
  const difference = await diffModels(original, optimized, inputs, tolerance);
  if (difference) throw new Error(`optimized model differs from the original: ${difference}`);
}

/** The first output that differs (names, dtypes, dims, then values), or undefined. */
export function compareOutputs(expected: Record<string, Tensor>, actual: Record<string, Tensor>, tolerance?: Tolerance): string | undefined {
  const names = Object.keys(expected);
  const other = Object.keys(actual);
  if (names.length !== other.length || names.some((n) => !(n in actual))) return `outputs [${names.join(', ')}] vs [${other.join(', ')}]`;
  for (const name of names) {
    const why = compareTensors(expected[name], actual[name], tolerance);
    if (why) return `output '${name}': ${why}`;
  }
  return undefined;
}

export function compareTensors(a: Tensor, b: Tensor, tolerance?: Tolerance): string | undefined {
  const shape = (t: Tensor): string => `${dtypeName(t.dtype)}[${t.dims.join(',')}]`;
  if (a.dtype !== b.dtype || a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i])) return `${shape(a)} vs ${shape(b)}`;
  if (a.dtype === DType.STRING) {
    const x = a.stringData();
    const y = b.stringData();
    const i = x.findIndex((s, k) => s !== y[k]);
    return i < 0 ? undefined : `element ${i}: '${x[i]}' vs '${y[i]}'`;
  }
  const x = a.toNumbers();
  const y = b.toNumbers();
  const float = a.dtype === DType.FLOAT || a.dtype === DType.DOUBLE || a.dtype === DType.FLOAT16 || a.dtype === DType.BFLOAT16;
  const tol = tolerance ?? (a.dtype === DType.FLOAT16 || a.dtype === DType.BFLOAT16 ? HALF_TOLERANCE : FLOAT_TOLERANCE);
  for (let i = 0; i < x.length; i++) {
    const [p, q] = [x[i], y[i]];
    if (Object.is(p, q) || (Number.isNaN(p) && Number.isNaN(q))) continue;
    if (float && Number.isFinite(p) && Math.abs(p - q) <= tol.atol + tol.rtol * Math.abs(p)) continue;
    if (!float && p === q) continue;
    return `element ${i}: ${p} vs ${q}${float ? ` (rtol ${tol.rtol}, atol ${tol.atol})` : ''}`;
  }
  return undefined;
}

/**
 * Random values for the model's runtime inputs (floats in [-1, 1), integers in [0, 4), bools),
 * with symbolic dims bound by `dims` (e.g. {batch: 3}; unbound symbols become 1).
 */
export function randomInputs(model: Model, dims: Record<string, number> = {}, seed = 1): Record<string, Tensor> {
  const random = seededRandom(seed);
  const out: Record<string, Tensor> = {};
  for (const v of model.graph.inputs) {
    if (v.initializer) continue;
    out[v.name] = randomTensor(v, dims, random);
  }
  return out;
}

function randomTensor(v: Value, dims: Record<string, number>, random: () => number): Tensor {
  const t = v.type;
  if (!t || t.kind !== 'tensor' || !t.shape) throw new Error(`input '${v.name}' has no tensor type with a known rank`);
  const shape = t.shape.map((d) => (typeof d === 'number' ? d : (d !== null && dims[d]) || 1));
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => (t.dtype === DType.FLOAT || t.dtype === DType.DOUBLE ? random() * 2 - 1 : Math.floor(random() * (t.dtype === DType.BOOL ? 2 : 4))));
  const tensor = Tensor.fromNumbers(t.dtype, shape, values);
  tensor.name = v.name;
  return tensor;
}
