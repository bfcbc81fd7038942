/**
 * Import → export must keep a model's meaning exactly: the re-imported IR prints the same, and
 * onnxruntime gives bitwise-identical outputs for the original and the exported bytes on every
 * model of the ONNX node test suite and on the bundled model.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { dtypeName } from '../../src/ir/dtype.js';
import type { Model } from '../../src/ir/model.js';
import { printModel } from '../../src/ir/print.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel, decodeTensor, loadModel } from '../../src/onnx/import.js';
import { saveModel } from '../../src/onnx/save.js';
import { listNodeTests, readTestDataSets, runtimeInputs, TestDataSet } from '../helpers/node-suite.js';
import { createSession, ortTypeOf, outputDifference, runOrt, runSession } from '../helpers/ort.js';

interface Case {
  name: string;
  file: string;
  dataSets: (model: Model) => TestDataSet[];
}

const DIGITS = 'models/digits-cnn.onnx';

const digitsDataSets = (model: Model): TestDataSet[] => {
  const input = decodeTensor(fs.readFileSync('models/digits-test-input.pb'));
  return [{ name: 'digits-test-input', inputs: { [runtimeInputs(model.graph)[0].name]: input }, outputs: {}, nonTensor: [] }];
};

const cases: Case[] = [
  ...listNodeTests().map((dir) => ({ name: path.basename(dir), file: path.join(dir, 'model.onnx'), dataSets: (m: Model) => readTestDataSets(dir, m.graph) })),
  { name: 'digits-cnn', file: DIGITS, dataSets: digitsDataSets },
];

/** ORT's defaults except its log, which would print every expected load failure a second time. */
const QUIET = { logSeverityLevel: 4 } as const;

const tally = { ir: 0, runnable: 0, bitwise: 0, notRunnable: new Map<string, string[]>(), nondeterministic: [] as string[] };

function notRunnable(reason: string, test: string): void {
  const list = tally.notRunnable.get(reason) ?? [];
  list.push(test);
  tally.notRunnable.set(reason, list);
}

/** ORT messages name nodes, files and source lines; keep the part that says why, so that like failures group together. */
function reasonOf(e: unknown): string {
  const message = (e as Error).message.replace(/\s+/g, ' ');
  const patterns: [RegExp, (m: RegExpExecArray) => string][] = [
    [/Could not find an implementation for (\w+)\((\d+)\)/, (m) => `no ORT CPU kernel for ${m[1]}(${m[2]}) with these types`],
    [/([\w.]+:\w+)\(-?\d+\) is not a registered function\/op/, (m) => `op ${m[1]} is not registered in ORT`],
    [/Unsupported data type: (\d+)/, (m) => `onnxruntime-node cannot describe ${dtypeName(Number(m[1]))} graph inputs/outputs`],
    [/Batchwise recurrent operations \(layout == 1\) are not supported/, () => 'ORT does not support batchwise (layout=1) RNN/GRU/LSTM'],
    [/Failed to construct locale with name:([^:]+):/, (m) => `StringNormalizer needs locale ${m[1]}, not installed here`],
  ];
  for (const [pattern, describe] of patterns) {
    const m = pattern.exec(message);
    if (m) return describe(m);
  }
  return message.replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').slice(0, 200);
}

async function trySession(bytes: Uint8Array): Promise<{ session: InferenceSession } | { error: string }> {
  try {
    return { session: await createSession(bytes, QUIET) };
  } catch (e) {
    return { error: reasonOf(e) };
  }
}

async function tryRun(session: InferenceSession, inputs: Record<string, Tensor>): Promise<{ outputs: Record<string, Tensor> } | { error: string }> {
  try {
    return { outputs: await runSession(session, inputs) };
  } catch (e) {
    return { error: reasonOf(e) };
  }
}

/** Why onnxruntime-node cannot be fed this data set, if it cannot. */
function unbindable(set: TestDataSet): string | undefined {
  const input = set.nonTensor.find((v) => v.role === 'input');
  if (input) return `${input.kind} input (onnxruntime-node binds tensor inputs only)`;
  const bad = Object.values(set.inputs).find((t) => ortTypeOf(t.dtype) === undefined);
  return bad ? `${dtypeName(bad.dtype)} input (onnxruntime-node cannot bind it)` : undefined;
}

async function compareInOrt(name: string, original: Uint8Array, exported: Uint8Array, sets: TestDataSet[]): Promise<void> {
  const a = await trySession(original);
  const b = await trySession(exported);
  try {
    if ('error' in a) {
      expect('error' in b ? b.error : 'exported model loads', 'the exported model must fail to load as the original does').toBe(a.error);
      return notRunnable(`load: ${a.error}`, name);
    }
    expect('error' in b ? b.error : '', 'the exported model must load as the original does').toBe('');
    const sessionB = (b as { session: InferenceSession }).session;
    let ran = false;
    for (const set of sets) {
      const why = unbindable(set);
      if (why) return notRunnable(why, name);
      const ra = await tryRun(a.session, set.inputs);
      const rb = await tryRun(sessionB, set.inputs);
      if ('error' in ra) {
        expect('error' in rb ? rb.error : 'exported model runs', 'the exported model must fail to run as the original does').toBe(ra.error);
        return notRunnable(`run: ${ra.error}`, name);
      }
      expect('error' in rb ? rb.error : '', 'the exported model must run as the original does').toBe('');
      if (!ran) tally.runnable++;
      ran = true;
      const difference = outputDifference(ra.outputs, (rb as { outputs: Record<string, Tensor> }).outputs);
      if (difference) {
        // Random ops without a seed differ between any two runs; only that excuses a difference.
        const again = await tryRun(a.session, set.inputs);
        if ('outputs' in again && outputDifference(ra.outputs, again.outputs)) {
          tally.nondeterministic.push(name);
          return;
        }
      }
      expect(difference, `${set.name}: original and exported outputs differ`).toBeUndefined();
    }
    if (ran) tally.bitwise++;
  } finally {
    if ('session' in a) await a.session.release();
    if ('session' in b) await b.session.release();
  }
}

describe('round trip', () => {
  afterAll(() => {
    const skipped = [...tally.notRunnable.values()].reduce((n, l) => n + l.length, 0);
    console.log(
      `round trip: IR ${tally.ir}/${cases.length}, ORT bitwise ${tally.bitwise}/${tally.runnable} runnable` +
        (tally.nondeterministic.length ? ` (${tally.nondeterministic.length} nondeterministic in ORT itself: ${tally.nondeterministic.join(', ')})` : '') +
        ` (${skipped} not runnable in ORT)`,
    );
    const groups = [...tally.notRunnable].sort((x, y) => y[1].length - x[1].length);
    for (const [reason, tests] of groups) console.log(`  ${tests.length} × ${reason}: ${tests.join(', ')}`);
  });

  it('finds the node test suite', () => {
    expect(cases.length, 'libonnx-testdata is installed (/usr/share/libonnx-testdata/data/node)').toBeGreaterThan(900);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const original = fs.readFileSync(c.file);
      const model = decodeModel(original, { baseDir: path.dirname(c.file) });
      const printed = printModel(model);
      const encoded = encodeModel(model);
      expect(encoded.sideFiles.size).toBe(0);
      expect(printModel(decodeModel(encoded.bytes))).toBe(printed);
      tally.ir++;
      await compareInOrt(c.name, original, encoded.bytes, c.dataSets(model));
    });
  }

  it('compared most models in ORT (a broken harness would skip them all)', () => {
    expect(tally.runnable).toBeGreaterThan(0.9 * cases.length);
  });
});

describe('round trip through external data', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-roundtrip-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const externalCases = [cases.find((c) => c.name === 'test_constant'), cases.find((c) => c.name === 'digits-cnn')];

  for (const c of externalCases) {
    it(c ? c.name : 'a node-suite model with constants', async () => {
      expect(c, 'the model exists').toBeDefined();
      const { name, file, dataSets } = c!;
      const dir = path.join(tmp, name);
      fs.mkdirSync(dir);
      const target = path.join(dir, 'model.onnx');
      const model = loadModel(file);
      const saved = saveModel(model, target, { externalData: { threshold: 16, location: 'weights.bin' } });
      expect(saved.sideFiles).toEqual([path.join(dir, 'weights.bin')]);
      expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBeGreaterThan(0);

      const inputs = dataSets(model)[0].inputs;
      const expected = await runOrt(file, inputs);
      expect(outputDifference(expected, await runOrt(target, inputs)), 'ORT reading the side file').toBeUndefined();

      const reloaded = loadModel(target);
      expect(printModel(reloaded)).toBe(printModel(model));
      expect(outputDifference(expected, await runOrt(encodeModel(reloaded).bytes, inputs)), 'shears reading the side file').toBeUndefined();
    });
  }
});
