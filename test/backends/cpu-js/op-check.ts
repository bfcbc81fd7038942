/**
 * One-node models for kernel tests: run a node through cpu-js, and the same model through
 * onnxruntime-node as the reference where ORT implements the op.
 */
import { expect } from 'vitest';
import type { RuntimeValue } from '../../../src/backend/value.js';
import { cpuJsBackend } from '../../../backends/cpu-js/backend.js';
import type { Attribute } from '../../../src/ir/attribute.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { Dim, tensorType } from '../../../src/ir/types.js';
import { encodeModel } from '../../../src/onnx/export.js';
import { compareTensors, Tolerance } from '../../helpers/diff.js';
import { runOrt } from '../../helpers/ort.js';

export interface OpCase {
  op: string;
  domain?: string;
  opset?: number;
  /** null: an omitted optional input. */
  inputs: (Tensor | null)[];
  attributes?: Attribute[];
  /** Output count, or a mask of which outputs are requested (false: omitted). */
  outputs?: number | boolean[];
}

export const attr = {
  int: (name: string, value: number): Attribute => ({ name, type: 'int', value }),
  float: (name: string, value: number): Attribute => ({ name, type: 'float', value }),
  ints: (name: string, value: number[]): Attribute => ({ name, type: 'ints', value }),
  floats: (name: string, value: number[]): Attribute => ({ name, type: 'floats', value }),
  string: (name: string, value: string): Attribute => ({ name, type: 'string', value }),
  strings: (name: string, value: string[]): Attribute => ({ name, type: 'strings', value }),
};

export function tensor(dtype: DType, dims: number[], values: ArrayLike<number | bigint>): Tensor {
  return Tensor.fromNumbers(dtype, dims, values);
}

export const f32 = (dims: number[], values: ArrayLike<number>): Tensor => tensor(DType.FLOAT, dims, values);
export const i64 = (dims: number[], values: ArrayLike<number>): Tensor => tensor(DType.INT64, dims, values);

/** Deterministic values in [-1, 1) (a linear congruential sequence), so tests need no fixtures. */
export function pseudoRandom(count: number, seed = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.fround(s / 2 ** 31 - 1);
  });
}

export function opModel(c: OpCase): Model {
  const opset = c.opset ?? 17;
  const model = new Model(new Map([['', c.domain ? 17 : opset], ...(c.domain ? [[c.domain, opset] as [string, number]] : [])]));
  model.irVersion = opset >= 19 && !c.domain ? 9 : 8;
  const g = model.graph;
  const inputs = c.inputs.map((t, i) => (t ? g.addInput(`x${i}`, tensorType(t.dtype, [...t.dims] as Dim[])) : null));
  const mask = typeof c.outputs === 'object' ? c.outputs : Array.from({ length: c.outputs ?? 1 }, () => true);
  const node = g.addNode({ opType: c.op, domain: c.domain, inputs, outputs: mask.map((on, i) => (on ? `y${i}` : null)), attributes: c.attributes ?? [] });
  g.outputs = node.outputs.filter((v) => v !== null);
  return model;
}

function feeds(c: OpCase): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  c.inputs.forEach((t, i) => {
    if (t) out[`x${i}`] = t;
  });
  return out;
}

/** The node's requested outputs as cpu-js computes them, in order. */
export async function runCpu(c: OpCase): Promise<RuntimeValue[]> {
  const model = opModel(c);
  const exe = cpuJsBackend.compile(model);
  const out = await exe.run(feeds(c));
  return model.graph.outputs.map((v) => out[v.name]);
}

export async function runCpuTensors(c: OpCase): Promise<Tensor[]> {
  return (await runCpu(c)).map((v) => {
    if (!v || Array.isArray(v)) throw new Error('expected a tensor output');
    return v;
  });
}

/** Runs the case in cpu-js and onnxruntime-node; every output must agree (floats within tolerance). */
export async function expectSameAsOrt(c: OpCase, tolerance?: Tolerance): Promise<void> {
  const model = opModel(c);
  const expected = await runOrt(encodeModel(model).bytes, feeds(c), { sessionOptions: { logSeverityLevel: 3 } });
  const actual = await runCpuTensors(c);
  model.graph.outputs.forEach((v, i) => {
    expect(compareTensors(expected[v.name], actual[i], tolerance), `${c.op} output ${i}`).toBeUndefined();
  });
}

export function values(t: Tensor): number[] {
  return t.toNumbers();
}
