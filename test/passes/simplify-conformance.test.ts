/**
 * `simplify` on every model of the ONNX node test suite: wherever ORT runs the original, it must
 * run the simplified model with the same outputs (it may change nothing). A second run makes each
 * model's inputs initializers holding the test data, so that fold-constants computes the whole
 * graph with the cpu-js evaluator: the folded outputs must match ORT's (or the suite's reference
 * outputs, where ORT departs from them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import type { Model } from '../../src/ir/model.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { runPipeline } from '../../src/pass/manager.js';
import { compareOutputs } from '../helpers/diff.js';
import { listNodeTests, readTestDataSets, TestDataSet } from '../helpers/node-suite.js';
import { runOrt } from '../helpers/ort.js';

const QUIET = { sessionOptions: { logSeverityLevel: 4 as const } };
const tests = listNodeTests();

async function tryOrt(model: Uint8Array, inputs: Record<string, Tensor>): Promise<Record<string, Tensor> | Error> {
  try {
    return await runOrt(model, inputs, QUIET);
  } catch (e) {
    return e as Error;
  }
}

type Outcome = { kind: 'pass'; changed: boolean } | { kind: 'not-importable' } | { kind: 'not-runnable' } | { kind: 'fail'; why: string };

/** Simplify every model shears can import (a throw is a failure even where ORT cannot run the model), then compare in ORT. */
async function check(dir: string): Promise<Outcome> {
  const bytes = fs.readFileSync(path.join(dir, 'model.onnx'));
  try {
    decodeModel(bytes);
  } catch {
    return { kind: 'not-importable' };
  }
  let optimized: Uint8Array;
  let changed: boolean;
  try {
    const model = decodeModel(bytes);
    changed = runPipeline(model, 'simplify', { evaluator: cpuEvaluator, reproducer: false, log: () => {} }).changed;
    optimized = encodeModel(model).bytes;
  } catch (e) {
    return { kind: 'fail', why: `simplify threw: ${(e as Error).message.split('\n')[0]}` };
  }
  let inputs: Record<string, Tensor>;
  try {
    const data = readTestDataSets(dir, decodeModel(bytes).graph)[0];
    if (!data || data.nonTensor.length > 0) return { kind: 'not-runnable' };
    inputs = data.inputs;
  } catch {
    return { kind: 'not-runnable' };
  }
  const expected = await tryOrt(bytes, inputs);
  if (expected instanceof Error) return { kind: 'not-runnable' };
  const actual = await tryOrt(optimized, inputs);
  if (actual instanceof Error) return { kind: 'fail', why: `ORT rejects the result: ${actual.message.split('\n')[0]}` };
  const difference = compareOutputs(expected, actual);
  if (!difference) return { kind: 'pass', changed };
  // Random ops (Bernoulli, RandomUniform…) differ from run to run in ORT itself: not comparable.
  const again = await tryOrt(bytes, inputs);
  if (again instanceof Error || compareOutputs(expected, again)) return { kind: 'not-runnable' };
  return { kind: 'fail', why: difference };
}

type FoldOutcome = { kind: 'skip' } | { kind: 'pass'; empty: boolean; reference: boolean } | { kind: 'fail'; why: string };

/** The model with its runtime inputs turned into initializers holding the test data, simplified: usually nothing is left but constants. */
async function checkFolded(dir: string): Promise<FoldOutcome> {
  const bytes = fs.readFileSync(path.join(dir, 'model.onnx'));
  let model: Model;
  let data: TestDataSet | undefined;
  try {
    model = decodeModel(bytes);
    data = readTestDataSets(dir, model.graph)[0];
  } catch {
    return { kind: 'skip' };
  }
  const g = model.graph;
  const runtime = g.inputs.filter((v) => !v.initializer);
  if (!data || data.nonTensor.length > 0 || runtime.some((v) => !data!.inputs[v.name])) return { kind: 'skip' };
  const expected = await tryOrt(bytes, data.inputs);
  if (expected instanceof Error) return { kind: 'skip' };
  g.inputs = g.inputs.filter((v) => v.initializer);
  for (const v of runtime) g.addInitializer(v.name, data.inputs[v.name]);
  try {
    runPipeline(model, 'simplify', { evaluator: cpuEvaluator, reproducer: false, log: () => {} });
  } catch (e) {
    return { kind: 'fail', why: `simplify threw: ${(e as Error).message.split('\n')[0]}` };
  }
  const actual = await tryOrt(encodeModel(model).bytes, {});
  if (actual instanceof Error) return { kind: 'fail', why: `ORT rejects the result: ${actual.message.split('\n')[0]}` };
  const empty = g.nodes.length === 0;
  const difference = compareOutputs(expected, actual);
  if (!difference) return { kind: 'pass', empty, reference: false };
  if (!compareOutputs(data.outputs, actual)) return { kind: 'pass', empty, reference: true };
  const again = await tryOrt(bytes, data.inputs);
  if (again instanceof Error || compareOutputs(expected, again)) return { kind: 'skip' };
  return { kind: 'fail', why: difference };
}

describe('simplify on the ONNX node test suite', () => {
  it.skipIf(tests.length === 0)('keeps every output ORT computes', async () => {
    const failures: string[] = [];
    let passed = 0;
    let runnable = 0;
    let changed = 0;
    let imported = 0;
    for (const dir of tests) {
      const outcome = await check(dir);
      if (outcome.kind === 'not-importable') continue;
      imported++;
      if (outcome.kind === 'not-runnable') continue;
      runnable++;
      if (outcome.kind === 'pass') {
        passed++;
        if (outcome.changed) changed++;
      } else failures.push(`${path.basename(dir)}: ${outcome.why}`);
    }
    console.log(`simplify conformance: ${passed}/${runnable} (of ${tests.length} node tests, ${tests.length - runnable} not runnable in ORT; simplify changed ${changed} of the passing models; ${imported} models imported, simplify threw on ${failures.filter((f) => f.includes('simplify threw')).length})`);
    if (failures.length) console.log(failures.join('\n'));
    expect(failures).toEqual([]);
  }, 600_000);

  it.skipIf(tests.length === 0)('folds every model whose inputs are made constants, keeping its outputs', async () => {
    const failures: string[] = [];
    let passed = 0;
    let compared = 0;
    let empty = 0;
    let reference = 0;
    for (const dir of tests) {
      const outcome = await checkFolded(dir);
      if (outcome.kind === 'skip') continue;
      compared++;
      if (outcome.kind === 'fail') {
        failures.push(`${path.basename(dir)}: ${outcome.why}`);
        continue;
      }
      passed++;
      if (outcome.empty) empty++;
      if (outcome.reference) reference++;
    }
    console.log(`fold-constants conformance (inputs as initializers): ${passed}/${compared} (${empty} folded to no nodes at all; ${reference} match the suite's reference outputs where ORT departs from them)`);
    if (failures.length) console.log(failures.join('\n'));
    expect(failures).toEqual([]);
  }, 600_000);
});
