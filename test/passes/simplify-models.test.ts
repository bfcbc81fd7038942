/**
 * `simplify` on PyTorch exports (seeded torchvision ResNet-18, MobileNetV2, a small Transformer
 * encoder, ResNet-18 with a symbolic batch): what it must leave behind, and outputs equal to ORT's.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import type { Model } from '../../src/ir/model.js';
import { isStaticShape } from '../../src/ir/types.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { analyzeShapes, shapeOf } from '../../src/pass/analysis.js';
import { runPipeline } from '../../src/pass/manager.js';
import { defaultRegistry } from '../../src/pass/registry.js';
import { expectSameOutputs, randomInputs } from '../helpers/diff.js';
import { expectDeclaredStats, opCounts } from './builder.js';

const CACHE = 'test/fixtures/.cache';
const MODELS = ['resnet18', 'mobilenet_v2', 'transformer', 'resnet18-dynamic'] as const;
const DYNAMIC = new Set(['transformer', 'resnet18-dynamic']);

beforeAll(() => {
  if (MODELS.every((m) => fs.existsSync(path.join(CACHE, `${m}.onnx`)))) return;
  execFileSync('/usr/bin/python3', ['test/fixtures/build-torchvision.py', CACHE, ...MODELS], { stdio: 'inherit' });
});

function simplify(bytes: Uint8Array): { model: Model; bytes: Uint8Array } {
  const model = decodeModel(bytes);
  expectDeclaredStats(runPipeline(model, 'simplify', { evaluator: cpuEvaluator, reproducer: false, log: () => {} }));
  return { model, bytes: encodeModel(model).bytes };
}

describe.each(MODELS)('simplify on %s', (name) => {
  let original: Uint8Array;
  let result: { model: Model; bytes: Uint8Array };

  beforeAll(() => {
    original = fs.readFileSync(path.join(CACHE, `${name}.onnx`));
    result = simplify(original);
    const before = decodeModel(original);
    const count = (m: Model): number => [...m.graph.allGraphs()].reduce((n, g) => n + g.nodes.length, 0);
    console.log(`simplify ${name}: ${count(before)} → ${count(result.model)} nodes  before ${JSON.stringify(opCounts(before))}  after ${JSON.stringify(opCounts(result.model))}`);
  });

  it('leaves no Identity, Dropout, Constant or BatchNormalization', () => {
    const ops = opCounts(result.model);
    for (const op of ['Identity', 'Dropout', 'Constant', 'BatchNormalization']) expect(ops[op], op).toBeUndefined();
  });

  it('leaves nothing for its passes to do (no foldable node, no static shape chain)', () => {
    const again = runPipeline(result.model, 'simplify', { evaluator: cpuEvaluator, reproducer: false, log: () => {} });
    expect(again.changed).toBe(false);
    const analysis = analyzeShapes(result.model);
    const staticShapeOps = result.model.graph.nodes.filter((n) => (n.opType === 'Shape' || n.opType === 'Size') && isStaticShape(shapeOf(analysis, n.inputs[0]!)));
    expect(staticShapeOps).toEqual([]);
  });

  it('computes what the original computes (ORT)', async () => {
    for (const batch of DYNAMIC.has(name) ? [1, 3] : [1]) {
      await expectSameOutputs(original, result.bytes, randomInputs(result.model, { batch }, batch));
    }
  });

  it('gives byte-identical output when run twice (the transformer: also every registered pass alone)', () => {
    expect(Buffer.from(simplify(original).bytes).equals(Buffer.from(result.bytes))).toBe(true);
    for (const pass of name === 'transformer' ? defaultRegistry.passes.keys() : []) {
      const [a, b] = [0, 1].map(() => {
        const model = decodeModel(original);
        runPipeline(model, pass, { evaluator: cpuEvaluator, reproducer: false, log: () => {} });
        return Buffer.from(encodeModel(model).bytes);
      });
      expect(a.equals(b), pass).toBe(true);
    }
  });

  it('keeps the declared input and output types, symbolic batch included', () => {
    const before = decodeModel(original).graph;
    const after = result.model.graph;
    expect(after.inputs.map((v) => v.type)).toEqual(before.inputs.map((v) => v.type));
    expect(after.outputs.map((v) => v.type)).toEqual(before.outputs.map((v) => v.type));
    if (DYNAMIC.has(name)) {
      const input = after.inputs[0].type;
      expect(input?.kind === 'tensor' && input.shape?.[0]).toBe('batch');
      console.log(`simplify ${name}: symbolic batch kept; ORT outputs match at batch 1 and 3`);
    }
  });
});
