/**
 * Feeds for a graph from files: ONNX TensorProto (.pb) files bind to the graph input their tensor is
 * named after, .npy files and unnamed tensors bind to the remaining inputs in order; `name=path`
 * binds explicitly; a folder stands for its .pb/.npy files in sorted order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Feeds } from '../backend/backend.js';
import { ShearsError } from '../error.js';
import { DType, arrayConstructor, dtypeName } from '../ir/dtype.js';
import { float32ToBfloat16, float32ToFloat16 } from '../ir/float16.js';
import type { Graph } from '../ir/graph.js';
import { Tensor, elementCount } from '../ir/tensor.js';
import { formatType } from '../ir/types.js';
import type { Value } from '../ir/value.js';
import { decodeTensor } from '../onnx/import.js';
import { decodeNpy } from './npy.js';
import { seededRandom } from '../util/random.js';

/** Graph inputs a caller must feed: those without an initializer default. */
export function requiredInputs(graph: Graph): Value[] {
  return graph.inputs.filter((v) => !v.initializer);
}

function readTensorFile(file: string): Tensor {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ShearsError('E_IO', `cannot read input '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: file });
  }
  if (file.endsWith('.npy')) return decodeNpy(bytes, file);
  if (file.endsWith('.pb')) return decodeTensor(bytes);
  throw new ShearsError('E_USAGE', `input '${file}' must be a .npy or .pb (ONNX TensorProto) file`, { path: file });
}

function expand(spec: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(spec);
  } catch {
    throw new ShearsError('E_IO', `input '${spec}' does not exist`, { path: spec });
  }
  if (!stat.isDirectory()) return [spec];
  const files = fs.readdirSync(spec).filter((f) => f.endsWith('.pb') || f.endsWith('.npy')).sort().map((f) => path.join(spec, f));
  if (files.length === 0) throw new ShearsError('E_IO', `folder '${spec}' holds no .pb or .npy files`, { path: spec });
  return files;
}

export function readInputFiles(graph: Graph, specs: readonly string[]): Feeds {
  const inputs = requiredInputs(graph);
  const byName = new Map(graph.inputs.map((v) => [v.name, v]));
  const feeds: Feeds = {};
  const unnamed: { file: string; tensor: Tensor }[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq > 0 && byName.has(spec.slice(0, eq))) {
      feeds[spec.slice(0, eq)] = readTensorFile(spec.slice(eq + 1));
      continue;
    }
    for (const file of expand(spec)) {
      const tensor = readTensorFile(file);
      if (file.endsWith('.pb') && tensor.name && byName.has(tensor.name) && !(tensor.name in feeds)) feeds[tensor.name] = tensor;
      else unnamed.push({ file, tensor });
    }
  }
  const open = inputs.filter((v) => !(v.name in feeds));
  if (unnamed.length > open.length) {
    throw new ShearsError('E_USAGE', `${unnamed.length} input files for ${open.length} unbound model inputs (${open.map((v) => `'${v.name}'`).join(', ') || 'none'}); extra: ${unnamed.slice(open.length).map((u) => u.file).join(', ')}`);
  }
  unnamed.forEach((u, i) => (feeds[open[i].name] = u.tensor));
  const missing = inputs.filter((v) => !(v.name in feeds));
  if (missing.length) {
    throw new ShearsError('E_USAGE', `no input given for ${missing.map((v) => `'${v.name}' ${formatType(v.type)}`).join(', ')}; pass --input FILE for each, in order, or NAME=FILE`);
  }
  for (const [name, t] of Object.entries(feeds)) if (t && !Array.isArray(t)) t.name = name;
  return feeds;
}

/**
 * Deterministic inputs of the model's shapes: floats uniform in [-1, 1), integers in [0, 10), random
 * bools. Symbolic dims are taken as 1 and listed in `assumed`.
 */
export function randomInputs(graph: Graph, seed: number): { feeds: Feeds; assumed: string[] } {
  const next = seededRandom(seed);
  const feeds: Feeds = {};
  const assumed = new Set<string>();
  for (const v of requiredInputs(graph)) {
    const type = v.type;
    if (type?.kind !== 'tensor' || !type.shape || type.shape.some((d) => d === null || d === '')) {
      throw new ShearsError('E_USAGE', `input '${v.name}' is ${formatType(type)}: random inputs need a known rank and named or static dims; pass --input`, { tensor: v.name });
    }
    const dims = type.shape.map((d) => {
      if (typeof d === 'number') return d;
      assumed.add(String(d));
      return 1;
    });
    feeds[v.name] = randomTensor(type.dtype, dims, next, v.name);
  }
  return { feeds, assumed: [...assumed] };
}

/** The tensor's values as `f` of uniform draws in [0, 1), in order. */
function randomTensor(dtype: DType, dims: number[], next: () => number, name: string): Tensor {
  switch (dtype) {
    case DType.FLOAT:
    case DType.DOUBLE:
      return drawTensor(dtype, dims, next, (u) => u * 2 - 1, name);
    case DType.FLOAT16:
      return drawTensor(dtype, dims, next, (u) => float32ToFloat16(u * 2 - 1), name);
    case DType.BFLOAT16:
      return drawTensor(dtype, dims, next, (u) => float32ToBfloat16(u * 2 - 1), name);
    case DType.BOOL:
      return drawTensor(dtype, dims, next, (u) => (u < 0.5 ? 0 : 1), name);
    case DType.STRING:
      throw new ShearsError('E_USAGE', `input '${name}' is a string tensor; pass --input`, { tensor: name });
    default:
      if (dtype === DType.UNDEFINED || dtype > DType.UINT64) throw new ShearsError('E_USAGE', `input '${name}' is ${dtypeName(dtype)}; pass --input`, { tensor: name });
      return drawTensor(dtype, dims, next, (u) => Math.floor(u * 10), name);
  }
}

/** Straight into the tensor's own array: an image's worth of doubles in a JS array is 1.2 MB of heap per copy. */
function drawTensor(dtype: DType, dims: number[], next: () => number, f: (u: number) => number, name: string): Tensor {
  const data = new (arrayConstructor(dtype))(elementCount(dims));
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) for (let i = 0; i < data.length; i++) data[i] = BigInt(f(next()));
  else for (let i = 0; i < data.length; i++) data[i] = f(next());
  return new Tensor(dtype, dims, data, name);
}
