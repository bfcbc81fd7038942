/**
 * `simplify` on every model of the ONNX node test suite: wherever ORT runs the original, it must
 * run the simplified model with the same outputs (it may change nothing).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuEvaluator } from '../../backends/cpu-js/evaluator.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel } from '../../src/onnx/import.js';
import { runPipeline } from '../../src/pass/manager.js';
import { compareOutputs } from '../helpers/diff.js';
import { listNodeTests, readTestDataSets } from '../helpers/node-suite.js';
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

type Outcome = { kind: 'pass'; changed: boolean } | { kind: 'not-runnable' } | { kind: 'fail'; why: string };

async function check(dir: string): Promise<Outcome> {
  const bytes = fs.readFileSync(path.join(dir, 'model.onnx'));
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
  let optimized: Uint8Array;
  let changed: boolean;
  try {
    const model = decodeModel(bytes);
    changed = runPipeline(model, 'simplify', { evaluator: cpuEvaluator, reproducer: false, log: () => {} }).changed;
    optimized = encodeModel(model).bytes;
  } catch (e) {
    return { kind: 'fail', why: `simplify threw: ${(e as Error).message.split('\n')[0]}` };
  }
  const actual = await tryOrt(optimized, inputs);
  if (actual instanceof Error) return { kind: 'fail', why: `ORT rejects the result: ${actual.message.split('\n')[0]}` };
  const difference = compareOutputs(expected, actual);
  if (!difference) return { kind: 'pass', changed };
  // Random ops (Bernoulli, RandomUniform…) differ from run to run in ORT itself: not comparable.
  const again = await tryOrt(bytes, inputs);
  if (again instanceof Error || compareOutputs(expected, again)) return { kind: 'not-runnable' };
  return { kind: 'fail', why: difference };
}

describe('simplify on the ONNX node test suite', () => {
  it.skipIf(tests.length === 0)('keeps every output ORT computes', async () => {
    const failures: string[] = [];
    let passed = 0;
    let runnable = 0;
    let changed = 0;
    for (const dir of tests) {
      const outcome = await check(dir);
      if (outcome.kind === 'not-runnable') continue;
      runnable++;
      if (outcome.kind === 'pass') {
        passed++;
        if (outcome.changed) changed++;
      } else failures.push(`${path.basename(dir)}: ${outcome.why}`);
    }
    console.log(`simplify conformance: ${passed}/${runnable} (of ${tests.length} node tests, ${tests.length - runnable} not runnable in ORT; simplify changed ${changed} of the passing models)`);
    if (failures.length) console.log(failures.join('\n'));
    expect(failures).toEqual([]);
  }, 600_000);
});
