/** Small models and reference computations for the prune-magnitude tests. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import type { Node } from '../../src/ir/node.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { seededRandom } from '../../src/util/random.js';

/** Values in [-1, 1) rounded to a few levels so that ties occur, with a fraction already zero. */
export function weightValues(n: number, seed: number, zeroFraction = 0, levels = 64): Float32Array {
  const r = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r() < zeroFraction ? 0 : Math.round((r() * 2 - 1) * levels) / levels;
  return out;
}

/** x[1,K] → MatMul(W_i) … → y, one weight per entry of `widths` (K = widths[0]). */
export function matmulChain(widths: readonly number[], seed = 1, zeroFraction = 0): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  let x: Value = g.addInput('x', tensorType(DType.FLOAT, [1, widths[0]]));
  for (let i = 1; i < widths.length; i++) {
    const w = g.addInitializer(`w${i}`, new Tensor(DType.FLOAT, [widths[i - 1], widths[i]], weightValues(widths[i - 1] * widths[i], seed + i, zeroFraction)));
    x = g.addNode({ opType: 'MatMul', name: `mm${i}`, inputs: [x, w], outputs: [`h${i}`] }).outputs[0]!;
  }
  x.type = tensorType(DType.FLOAT, [1, widths[widths.length - 1]]);
  g.outputs = [x];
  return m;
}

/** x[1,C,6,6] → Conv(W[O,C,3,3], B[O], pads 1) → y, with a bias large enough to pass min-params. */
export function convModel(channelsIn: number, channelsOut: number, seed = 7): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  const x = g.addInput('x', tensorType(DType.FLOAT, [1, channelsIn, 6, 6]));
  const w = g.addInitializer('conv.weight', new Tensor(DType.FLOAT, [channelsOut, channelsIn, 3, 3], weightValues(channelsOut * channelsIn * 9, seed)));
  const b = g.addInitializer('conv.bias', new Tensor(DType.FLOAT, [channelsOut], weightValues(channelsOut, seed + 1)));
  const conv = g.addNode({
    opType: 'Conv',
    name: 'conv',
    inputs: [x, w, b],
    outputs: ['y'],
    attributes: [{ name: 'pads', type: 'ints', value: [1, 1, 1, 1] }],
  });
  conv.outputs[0]!.type = tensorType(DType.FLOAT, [1, channelsOut, 6, 6]);
  g.outputs = [conv.outputs[0]!];
  return m;
}

export function floatData(model: Model, name: string): Float32Array {
  return model.graph.lookup(name)!.initializer!.data as Float32Array;
}

export function zeros(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) n++;
  return n;
}

/**
 * Reference decision by sorting (a different algorithm from the pass's radix selection): the
 * positions of the k smallest |w| over the concatenation of `tensors`, ties by position.
 */
export function referenceDropped(tensors: readonly Float32Array[], k: number): Set<string> {
  const all: { score: number; t: number; i: number }[] = [];
  tensors.forEach((data, t) => data.forEach((v, i) => all.push({ score: Math.abs(v), t, i })));
  all.sort((a, b) => a.score - b.score || a.t - b.t || a.i - b.i);
  return new Set(all.slice(0, k).map((e) => `${e.t}:${e.i}`));
}

export function nodeNamed(model: Model, name: string): Node {
  return model.graph.nodes.find((n) => n.name === name)!;
}

export interface PythonTensorCount {
  size: number;
  zeros: number;
  storage: 'dense' | 'sparse';
  /** numpy dtype name of a sparse initializer's indices. */
  indexType?: string;
}

/**
 * Zeros of every initializer and sparse initializer in an ONNX file, counted by the python `onnx`
 * package (an independent reader). With `check`, onnx.checker must accept the file too; it accepts
 * int64 sparse indices only (onnxruntime also reads int8/int16/int32).
 */
const COUNT_ZEROS_PY = `
import sys, json, onnx, numpy as np
from onnx import numpy_helper
m = onnx.load(sys.argv[1])
if sys.argv[2] == "check":
    onnx.checker.check_model(m)
out = {}
for t in m.graph.initializer:
    a = numpy_helper.to_array(t)
    out[t.name] = {"size": int(a.size), "zeros": int((a == 0).sum()), "storage": "dense"}
for s in m.graph.sparse_initializer:
    v = numpy_helper.to_array(s.values)
    idx = numpy_helper.to_array(s.indices).astype(np.int64)
    assert idx.ndim == 1 and (np.diff(idx) > 0).all()
    size = int(np.prod(s.dims))
    dense = np.zeros(size, dtype=v.dtype)
    dense[idx] = v
    out[s.values.name] = {"size": size, "zeros": int((dense == 0).sum()), "storage": "sparse", "indexType": str(numpy_helper.to_array(s.indices).dtype)}
json.dump(out, sys.stdout)
`;

export function countZerosWithPython(file: string, check = false): Record<string, PythonTensorCount> {
  const r = spawnSync('/usr/bin/python3', ['-c', COUNT_ZEROS_PY, file, check ? 'check' : 'no-check'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python onnx could not read ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, PythonTensorCount>;
}

/** A torchvision fixture (built once into the cache by /usr/bin/python3), or null when it cannot be built here. */
export function torchvisionFixture(name: string): string | null {
  const file = path.join('test/fixtures/.cache', `${name}.onnx`);
  if (!fs.existsSync(file)) spawnSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', 'test/fixtures/.cache', name], { stdio: 'ignore' });
  return fs.existsSync(file) ? file : null;
}
