/**
 * The ONNX node test suite through cpu-js. Each test is passed, failed, or unsupported (some op has
 * no kernel: cpu-js refuses it with E_UNSUPPORTED_OP before or while planning). Failures fail the
 * run, and so does a test in expected-passes.txt that no longer passes. `ONLY=test_conv` runs the
 * tests whose names contain that text; tests with known-bad data (bad-test-data.ts) are skipped, and so are tests
 * of random draws once their outputs pass the checks random-outputs.ts can make; `UPDATE_EXPECTED=1` rewrites the list from a full run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Executable, Feeds } from '../../../src/backend/backend.js';
import type { RuntimeValue } from '../../../src/backend/value.js';
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import type { Value } from '../../../src/ir/value.js';
import { loadModel } from '../../../src/onnx/import.js';
import { cpuJsBackend } from '../../../backends/cpu-js/backend.js';
import { listNodeTests, readTestDataSets, runtimeInputs } from '../../helpers/node-suite.js';
import { BAD_TEST_DATA } from './bad-test-data.js';
import { mismatch } from './compare.js';
import { decodeOptional, decodeSequence } from './non-tensor-data.js';
import { RANDOM_OUTPUTS, randomOutputMismatch } from './random-outputs.js';

const EXPECTED_FILE = path.join(import.meta.dirname, 'expected-passes.txt');
const only = process.env.ONLY;
const tests = listNodeTests().filter((dir) => !only || path.basename(dir).includes(only));
const results = new Map<string, 'passed' | 'failed' | 'unsupported' | 'bad data' | 'random'>();
const tolerance = { rtol: 1e-3, atol: 1e-4 };

/** ONNX 1.12 stored bfloat16 test data as uint16 tensors holding the same bits. */
function asDeclared(values: Record<string, Tensor>, declared: readonly Value[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(values)) {
    const type = declared.find((v) => v.name === name)?.type;
    const bf16 = type?.kind === 'tensor' && type.dtype === DType.BFLOAT16 && t.dtype === DType.UINT16;
    out[name] = bf16 ? new Tensor(DType.BFLOAT16, t.dims, t.data, name) : t;
  }
  return out;
}

function readNonTensor(dir: string, prefix: 'input' | 'output', values: readonly Value[], into: Feeds): void {
  values.forEach((v, i) => {
    const file = path.join(dir, `${prefix}_${i}.pb`);
    if (!v.type || v.type.kind === 'tensor' || !fs.existsSync(file)) return;
    const bytes = fs.readFileSync(file);
    into[v.name] = v.type.kind === 'optional' ? decodeOptional(bytes) : decodeSequence(bytes);
  });
}

/** Runs one node test; returns null when it passes, else what went wrong. Throws E_UNSUPPORTED_OP through. */
function runNodeTest(dir: string): string | null {
  const model = loadModel(path.join(dir, 'model.onnx'));
  const exe = cpuJsBackend.compile(model) as Executable & { runSync(inputs: Feeds): Feeds };
  for (const set of readTestDataSets(dir, model.graph)) {
    const feeds: Feeds = asDeclared(set.inputs, model.graph.inputs);
    const expected: Record<string, RuntimeValue> = asDeclared(set.outputs, model.graph.outputs);
    readNonTensor(path.join(dir, set.name), 'input', runtimeInputs(model.graph), feeds);
    readNonTensor(path.join(dir, set.name), 'output', model.graph.outputs, expected);
    const actual = exe.runSync(feeds);
    for (const [name, want] of Object.entries(expected)) {
      const m = RANDOM_OUTPUTS[path.basename(dir)] ? randomOutputMismatch(actual[name], want) : mismatch(actual[name], want, tolerance);
      if (m) return `${set.name}, output '${name}': ${m}`;
    }
  }
  return null;
}

describe('cpu-js on the ONNX node test suite', () => {
  for (const dir of tests) {
    const name = path.basename(dir);
    it(name, (ctx) => {
      if (BAD_TEST_DATA[name]) {
        results.set(name, 'bad data');
        ctx.skip(BAD_TEST_DATA[name]);
      }
      let problem: string | null;
      try {
        problem = runNodeTest(dir);
      } catch (e) {
        if (e instanceof ShearsError && e.code === 'E_UNSUPPORTED_OP') {
          results.set(name, 'unsupported');
          ctx.skip(e.message.split('\n')[0]);
        }
        results.set(name, 'failed');
        throw e;
      }
      results.set(name, problem ? 'failed' : RANDOM_OUTPUTS[name] ? 'random' : 'passed');
      expect(problem).toBeNull();
      if (RANDOM_OUTPUTS[name]) ctx.skip(RANDOM_OUTPUTS[name]);
    });
  }

  afterAll(() => {
    const count = (s: string): number => [...results.values()].filter((r) => r === s).length;
    console.log(`cpu-js conformance: ${count('passed')} passed, ${count('failed')} failed, ${count('unsupported')} unsupported of ${tests.length} (${count('bad data')} skipped: bad test data, ${count('random')} skipped: random outputs)`);
  });

  it('keeps every test in expected-passes.txt passing', () => {
    const expectedPasses = fs.existsSync(EXPECTED_FILE) ? fs.readFileSync(EXPECTED_FILE, 'utf8').split('\n').filter(Boolean) : [];
    const passed = [...results].filter(([, r]) => r === 'passed').map(([n]) => n).sort();
    const newly = passed.filter((n) => !expectedPasses.includes(n));
    if (newly.length) console.log(`newly passing (UPDATE_EXPECTED=1 adds them to expected-passes.txt):\n  ${newly.join('\n  ')}`);
    if (process.env.UPDATE_EXPECTED === '1' && !only) fs.writeFileSync(EXPECTED_FILE, passed.join('\n') + '\n');
    const regressions = expectedPasses.filter((n) => results.has(n) && results.get(n) !== 'passed');
    expect(regressions, 'tests in expected-passes.txt that no longer pass').toEqual([]);
  });
});
