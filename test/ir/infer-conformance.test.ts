/**
 * Shape inference against the ONNX node test suite: every graph output's inferred type is compared
 * with the real expected output (output_N.pb), never with the declared output type. Inference sees
 * only the declared graph input types — and, in the second mode, the inputs' contents as known
 * constants, which shows what the rules do once data-dependent sizes become knowable. Intermediate
 * values (the *_expanded tests are whole function bodies) are checked against onnxruntime.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DType, dtypeName } from '../../src/ir/dtype.js';
import { analyzeModel } from '../../src/ir/infer/index.js';
import { Tensor } from '../../src/ir/tensor.js';
import { formatType } from '../../src/ir/types.js';
import type { ValueType } from '../../src/ir/types.js';
import type { Value } from '../../src/ir/value.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeTensor, loadModel } from '../../src/onnx/import.js';
import { decodeOptional, decodeSequence } from '../backends/cpu-js/non-tensor-data.js';
import { listNodeTests, readTestDataSets } from '../helpers/node-suite.js';
import { runOrt } from '../helpers/ort.js';

type Verdict = 'exact' | 'partial' | 'unknown' | 'wrong';
type Expected = Tensor | Tensor[] | null;

interface Outcome {
  test: string;
  output: string;
  verdict: Verdict;
  detail: string;
}

interface ModeResult {
  outcomes: Outcome[];
  /** Outputs without a readable expected value (no .pb, or a map). */
  skipped: number;
  ruleErrors: string[];
}

const tests = listNodeTests();
/** Exact outputs reached when these floors were set; a drop is a regression in some rule. */
const EXACT_FLOOR = 954;
const EXACT_WITH_VALUES_FLOOR = 1083;

/** ONNX 1.12 stored bfloat16 test data as uint16 tensors holding the same bits. */
function asDeclared(t: Tensor, declared: ValueType | undefined): Tensor {
  const bf16 = declared?.kind === 'tensor' && declared.dtype === DType.BFLOAT16 && t.dtype === DType.UINT16;
  return bf16 ? new Tensor(DType.BFLOAT16, t.dims, t.data, t.name) : t;
}

/** How well the inferred type describes an actual tensor. */
function judgeTensor(t: ValueType | undefined, actual: Tensor): Verdict {
  if (!t) return 'unknown';
  if (t.kind !== 'tensor' || t.dtype !== actual.dtype) return 'wrong';
  if (!t.shape) return 'partial';
  if (t.shape.length !== actual.dims.length) return 'wrong';
  if (t.shape.some((d, i) => typeof d === 'number' && d !== actual.dims[i])) return 'wrong';
  return t.shape.every((d) => typeof d === 'number') ? 'exact' : 'partial';
}

/** The worst verdict of several (wrong > unknown > partial > exact). */
function worst(verdicts: Verdict[]): Verdict {
  for (const v of ['wrong', 'unknown', 'partial'] as const) if (verdicts.includes(v)) return v;
  return 'exact';
}

function judge(t: ValueType | undefined, expected: Expected, declaredKind: string): Verdict {
  if (!t) return 'unknown';
  if (declaredKind === 'optional') {
    if (t.kind !== 'optional') return 'wrong';
    if (expected === null) return 'exact';
    return t.elem ? judge(t.elem, expected, Array.isArray(expected) ? 'sequence' : 'tensor') : 'partial';
  }
  if (Array.isArray(expected)) {
    if (t.kind !== 'sequence') return 'wrong';
    if (!t.elem) return 'partial';
    if (expected.length === 0) return t.elem.kind === 'tensor' ? 'partial' : 'wrong';
    return worst(expected.map((e) => judgeTensor(t.elem, e)));
  }
  return expected ? judgeTensor(t, expected) : 'unknown';
}

function describeExpected(expected: Expected): string {
  if (expected === null) return 'empty optional';
  if (Array.isArray(expected)) return `seq[${expected.map((e) => `${dtypeName(e.dtype)}[${e.dims.join(',')}]`).join(' ')}]`;
  return `${dtypeName(expected.dtype)}[${expected.dims.join(',')}]`;
}

function readExpected(dir: string, index: number, declared: Value): Expected | undefined {
  const file = path.join(dir, 'test_data_set_0', `output_${index}.pb`);
  if (!fs.existsSync(file)) return undefined;
  const bytes = fs.readFileSync(file);
  const kind = declared.type?.kind ?? 'tensor';
  if (kind === 'sequence') return decodeSequence(bytes);
  if (kind === 'optional') return decodeOptional(bytes) as Expected;
  if (kind !== 'tensor') return undefined;
  return asDeclared(decodeTensor(bytes), declared.type);
}

function runMode(withValues: boolean): ModeResult {
  const outcomes: Outcome[] = [];
  const ruleErrors: string[] = [];
  let skipped = 0;
  for (const dir of tests) {
    const test = path.basename(dir);
    const model = loadModel(path.join(dir, 'model.onnx'));
    const inputValues = new Map<string, Tensor>();
    if (withValues) {
      const [set] = readTestDataSets(dir, model.graph);
      for (const [name, t] of Object.entries(set?.inputs ?? {})) inputValues.set(name, asDeclared(t, model.graph.lookup(name)?.type));
    }
    const analysis = analyzeModel(model, {
      inputValues,
      onRuleError: (node, e) => ruleErrors.push(`${test}: ${node.opType}: ${(e as Error).message}`),
    });
    model.graph.outputs.forEach((out, i) => {
      const expected = readExpected(dir, i, out);
      if (expected === undefined) {
        skipped++;
        return;
      }
      const inferred = analysis.types.get(out);
      const verdict = judge(inferred, expected, out.type?.kind ?? 'tensor');
      outcomes.push({ test, output: out.name, verdict, detail: `inferred ${formatType(inferred)}, actual ${describeExpected(expected)}` });
    });
  }
  return { outcomes, skipped, ruleErrors };
}

function summarize(label: string, r: ModeResult): Record<Verdict, number> {
  const count = (v: Verdict): number => r.outcomes.filter((o) => o.verdict === v).length;
  const counts = { exact: count('exact'), partial: count('partial'), unknown: count('unknown'), wrong: count('wrong') };
  console.log(`shape inference${label}: exact ${counts.exact}/${r.outcomes.length} outputs, partial ${counts.partial}, unknown ${counts.unknown}, wrong ${counts.wrong}, skipped ${r.skipped}`);
  for (const v of ['partial', 'unknown'] as const) {
    const byTest = new Map<string, string[]>();
    for (const o of r.outcomes.filter((x) => x.verdict === v)) byTest.set(o.test, [...(byTest.get(o.test) ?? []), `${o.output}: ${o.detail}`]);
    if (byTest.size === 0) continue;
    console.log(`  ${v} (${byTest.size} tests):\n${[...byTest].map(([t, list]) => `    ${t} — ${list.join('; ')}`).join('\n')}`);
  }
  return counts;
}

/** Numbers equal, or within float rounding (ORT and the partial evaluator may round differently). */
function close(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Every main-graph intermediate tensor inference typed becomes a graph output; onnxruntime runs the
 * test's inputs, and each actual tensor must agree with the inferred type and the known contents.
 */
async function checkIntermediates(withValues: boolean): Promise<{ checked: number; problems: string[] }> {
  const problems: string[] = [];
  let checked = 0;
  for (const dir of tests) {
    const test = path.basename(dir);
    const model = loadModel(path.join(dir, 'model.onnx'));
    const [set] = readTestDataSets(dir, model.graph);
    const inputs = Object.entries(set?.inputs ?? {});
    const unbindable = inputs.some(([name, t]) => asDeclared(t, model.graph.lookup(name)?.type) !== t);
    if (!set || set.nonTensor.some((n) => n.role === 'input') || unbindable) continue;
    const analysis = analyzeModel(model, { inputValues: withValues ? new Map(inputs) : undefined });
    const extra = model.graph.nodes.flatMap((n) => n.outputs.filter((v): v is Value => !!v && !v.isGraphOutput && analysis.types.get(v)?.kind === 'tensor'));
    if (extra.length === 0) continue;
    model.graph.outputs.push(...extra);
    const actual = await runOrt(encodeModel(model).bytes, set.inputs);
    for (const v of extra) {
      const got = actual[v.name];
      if (!got) continue;
      checked++;
      const where = `${test}: ${v.producer!.opType} '${v.name}'`;
      if (judgeTensor(analysis.types.get(v), got) === 'wrong') problems.push(`${where} inferred ${formatType(analysis.types.get(v))}, actual ${describeExpected(got)}`);
      const k = analysis.values.get(v);
      if (!k || got.dtype === DType.STRING) continue;
      const numbers = got.toNumbers();
      const sameDims = k.dims.length === got.dims.length && k.dims.every((d, i) => d === got.dims[i]);
      if (!sameDims || k.data.some((d, i) => typeof d === 'number' && !close(d, numbers[i]))) {
        problems.push(`${where} known contents ${JSON.stringify(k.data.slice(0, 8))}, actual ${JSON.stringify(numbers.slice(0, 8))}`);
      }
    }
  }
  return { checked, problems };
}

describe.skipIf(tests.length === 0)('shape inference on the ONNX node test suite', () => {
  let declaredOnly: ModeResult;
  let withValues: ModeResult;

  beforeAll(() => {
    declaredOnly = runMode(false);
    withValues = runMode(true);
  });

  it('covers the whole suite', () => {
    expect(tests.length).toBeGreaterThanOrEqual(900);
  });

  it('never contradicts an actual output, from declared input types alone', () => {
    const counts = summarize('', declaredOnly);
    expect(declaredOnly.ruleErrors).toEqual([]);
    expect(declaredOnly.outcomes.filter((o) => o.verdict === 'wrong').map((o) => `${o.test}/${o.output}: ${o.detail}`)).toEqual([]);
    expect(counts.exact).toBeGreaterThanOrEqual(EXACT_FLOOR);
  });

  it('never contradicts an actual output when the inputs\u2019 contents are known', () => {
    const counts = summarize(' with input values', withValues);
    expect(withValues.ruleErrors).toEqual([]);
    expect(withValues.outcomes.filter((o) => o.verdict === 'wrong').map((o) => `${o.test}/${o.output}: ${o.detail}`)).toEqual([]);
    expect(counts.exact).toBeGreaterThanOrEqual(EXACT_WITH_VALUES_FLOOR);
  });

  it('agrees with onnxruntime on every intermediate value, and on the contents it computed', async () => {
    for (const mode of [false, true]) {
      const { checked, problems } = await checkIntermediates(mode);
      console.log(`intermediate values${mode ? ' with input values' : ''}: ${checked} checked against onnxruntime, ${problems.length} contradictions`);
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(1000);
    }
  });
});
