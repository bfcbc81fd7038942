/**
 * op-check's one-node cases with some inputs baked in as initializers, so that kernels take their
 * constant-weight paths (weights packed at plan time, sparse formats) while ORT stays the reference.
 */
import { expect } from 'vitest';
import { cpuJsBackend } from '../../../backends/cpu-js/backend.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { Dim, tensorType } from '../../../src/ir/types.js';
import { encodeModel } from '../../../src/onnx/export.js';
import { compareTensors, Tolerance } from '../../helpers/diff.js';
import { runOrt } from '../../helpers/ort.js';
import type { OpCase } from './op-check.js';

export function modelWithConstants(c: OpCase, constants: readonly number[]): { model: Model; feeds: Record<string, Tensor> } {
  const opset = c.opset ?? 17;
  const model = new Model(new Map([['', c.domain ? 17 : opset], ...(c.domain ? [[c.domain, opset] as [string, number]] : [])]));
  const g = model.graph;
  const feeds: Record<string, Tensor> = {};
  const inputs = c.inputs.map((t, i) => {
    if (!t) return null;
    if (constants.includes(i)) return g.addInitializer(`w${i}`, new Tensor(t.dtype, t.dims, t.data));
    feeds[`x${i}`] = t;
    return g.addInput(`x${i}`, tensorType(t.dtype, [...t.dims] as Dim[]));
  });
  const count = typeof c.outputs === 'number' ? c.outputs : 1;
  const node = g.addNode({ opType: c.op, domain: c.domain, inputs, outputs: Array.from({ length: count }, (_, i) => `y${i}`), attributes: c.attributes ?? [] });
  g.outputs = node.outputs.filter((v) => v !== null);
  return { model, feeds };
}

/** The case's outputs as onnxruntime-node computes them (with no constants). */
export async function runOrtCase(c: OpCase): Promise<Tensor[]> {
  const { model, feeds } = modelWithConstants(c, []);
  const out = await runOrt(encodeModel(model).bytes, feeds, { sessionOptions: { logSeverityLevel: 3 } });
  return model.graph.outputs.map((v) => out[v.name]);
}

/** Runs the case in cpu-js (twice: the recording run, then the planned one) and in ORT; outputs must agree. */
export async function expectSameAsOrtWithConstants(c: OpCase, constants: readonly number[], tolerance?: Tolerance): Promise<void> {
  const { model, feeds } = modelWithConstants(c, constants);
  const expected = await runOrt(encodeModel(model).bytes, feeds, { sessionOptions: { logSeverityLevel: 3 } });
  const exe = cpuJsBackend.compile(model);
  for (let run = 0; run < 2; run++) {
    const actual = await exe.run(feeds);
    for (const v of model.graph.outputs) expect(compareTensors(expected[v.name], actual[v.name] as Tensor, tolerance), `${c.op} output ${v.name}, run ${run}`).toBeUndefined();
  }
}
