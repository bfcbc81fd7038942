/** Small models for pass tests, built with the IR API, and a helper that optimizes one and checks it against ORT. */
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import type { Attribute } from '../../src/ir/attribute.js';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { Dim, tensorType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { PassManagerOptions, PipelineReport, runPipeline } from '../../src/pass/manager.js';
import type { PassRegistry } from '../../src/pass/pipeline.js';
import { defaultRegistry } from '../../src/pass/registry.js';
import { expectSameOutputs, randomInputs } from '../helpers/diff.js';

export const int = (name: string, value: number): Attribute => ({ name, type: 'int', value });
export const ints = (name: string, value: number[]): Attribute => ({ name, type: 'ints', value });
export const float = (name: string, value: number): Attribute => ({ name, type: 'float', value });
export const tensorAttr = (name: string, value: Tensor): Attribute => ({ name, type: 'tensor', value });

export class ModelBuilder {
  readonly model: Model;
  private count = 0;

  constructor(opset = 17) {
    this.model = new Model(new Map([['', opset]]));
    this.model.graph.name = 'test';
  }

  get graph() {
    return this.model.graph;
  }

  input(name: string, shape: Dim[], dtype = DType.FLOAT): Value {
    return this.graph.addInput(name, tensorType(dtype, shape));
  }

  init(name: string, dims: number[], values: number[], dtype = DType.FLOAT): Value {
    return this.graph.addInitializer(name, Tensor.fromNumbers(dtype, dims, values));
  }

  /** A node with `outputs` fresh outputs; returns them. */
  ops(opType: string, inputs: (Value | null)[], attributes: Attribute[] = [], outputs = 1): Value[] {
    const n = this.count++;
    const names = Array.from({ length: outputs }, (_, i) => `${opType.toLowerCase()}${n}${outputs > 1 ? `_${i}` : ''}`);
    return this.graph.addNode({ opType, inputs, outputs: names, attributes, name: `${opType}_${n}` }).outputs as Value[];
  }

  op(opType: string, inputs: (Value | null)[], attributes: Attribute[] = []): Value {
    return this.ops(opType, inputs, attributes)[0];
  }

  output(...values: Value[]): Model {
    this.graph.outputs = values;
    return this.model;
  }
}

/** Count of nodes per op, over all graphs. */
export function opCounts(model: Model): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of model.graph.allGraphs()) for (const n of g.nodes) out[n.opType] = (out[n.opType] ?? 0) + 1;
  return out;
}

export interface Optimized {
  report: PipelineReport;
  before: Uint8Array;
  after: Uint8Array;
  model: Model;
}

/**
 * Run `pipeline` on a copy of the model (verifier on, cpu-js evaluator), then run the original and
 * the result in ORT on the same random inputs and require equal outputs.
 */
export async function optimizeAndCompare(model: Model, pipeline: string, options: PassManagerOptions & { dims?: Record<string, number> } = {}): Promise<Optimized> {
  const before = encodeModel(model).bytes;
  const copy = decodeModel(before);
  const report = runPipeline(copy, pipeline, { evaluator: cpuEvaluator, reproducer: false, log: () => {}, ...options });
  const after = encodeModel(copy).bytes;
  expectDeclaredStats(report, options.registry ?? defaultRegistry);
  await expectSameOutputs(before, after, randomInputs(copy, options.dims ?? {}));
  return { report, before, after, model: copy };
}

/** Every statistic a pass reported is one its declaration names (the docs list those). */
export function expectDeclaredStats(report: PipelineReport, registry: PassRegistry = defaultRegistry): void {
  for (const run of report.runs) {
    const declared = Object.keys(registry.passes.get(run.pass)!.statistics);
    for (const name of Object.keys(run.stats)) if (!declared.includes(name)) throw new Error(`pass '${run.pass}' reported '${name}', which it does not declare`);
  }
}

/** Sum of one statistic over every run of a pass in the report. */
export function stat(report: PipelineReport, pass: string, name: string): number {
  return report.runs.filter((r) => r.pass === pass).reduce((n, r) => n + (r.stats[name] ?? 0), 0);
}
