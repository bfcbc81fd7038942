/**
 * Emitted cpu-js modules of real models against onnxruntime: each model is emitted as a static
 * module into a folder under os.tmpdir(), imported by a separate `node` process (no NODE_PATH,
 * nothing of the repository reachable), run twice, and both results compared with onnxruntime-node
 * on the same inputs. The bundled digits CNN, the transformer fixture when cached, and a spread of
 * ONNX node-suite models (convolutions, pooling, recurrent cells, multiple outputs, int64/bool/float16
 * values, shape arithmetic).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitModule } from '../../../backends/cpu-js/emit/emit.js';
import { ShearsError } from '../../../src/error.js';
import type { Model } from '../../../src/ir/model.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { randomInputs } from '../../../src/io/input-files.js';
import { loadModel } from '../../../src/onnx/import.js';
import { NODE_SUITE_DIR, readTestDataSets } from '../../helpers/node-suite.js';
import { runOrt } from '../../helpers/ort.js';
import { mismatch } from './compare.js';
import { buildShears, fromWire, runInNode, WireResults, writeFiles } from './emit-helpers.js';

const TOLERANCE = { rtol: 1e-3, atol: 1e-4 };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-emit-models-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Node-suite models, each exercising something the static plan must get right. */
const STATIC_NODE_TESTS = [
  'test_conv_with_strides_padding',
  'test_maxpool_2d_pads',
  'test_batchnorm_example',
  'test_lstm_defaults',
  'test_cast_FLOAT_to_FLOAT16',
  'test_where_example',
  'test_einsum_batch_matmul',
];

/** Node-suite models whose output shapes follow from the values of an input (split sizes, K, a target shape, scales): dynamic modules. */
const DYNAMIC_NODE_TESTS = ['test_split_variable_parts_2d', 'test_top_k', 'test_reshape_reordered_all_dims', 'test_expand_dim_changed', 'test_resize_upsample_scales_linear'];

interface Case {
  name: string;
  file: string;
  model: () => Model;
  feeds: (model: Model) => Record<string, Tensor>;
  kind: 'static' | 'dynamic';
}

/** A model with its symbolic dims bound (as `--input-shape` does) and seeded random inputs. */
function fixture(file: string, shapes: Record<string, number[]>): Case {
  return {
    name: file,
    file,
    model: () => {
      const m = loadModel(file);
      for (const v of m.graph.inputs) if (shapes[v.name] && v.type?.kind === 'tensor') v.type = { ...v.type, shape: shapes[v.name] };
      return m;
    },
    feeds: (m) => randomInputs(m.graph, 7).feeds as Record<string, Tensor>,
    kind: 'static',
  };
}

function nodeTest(test: string, kind: Case['kind']): Case {
  const file = path.join(NODE_SUITE_DIR, test, 'model.onnx');
  return { name: test, file, model: () => loadModel(file), feeds: (m) => readTestDataSets(path.dirname(file), m.graph)[0].inputs, kind };
}

const CASES: Case[] = [
  fixture('models/digits-cnn.onnx', { input: [3, 1, 8, 8] }),
  fixture('test/fixtures/.cache/transformer.onnx', { input: [2, 16, 64] }),
  fixture('test/fixtures/.cache/resnet18.onnx', {}),
  fixture('test/fixtures/.cache/mobilenet_v2.onnx', {}),
  ...STATIC_NODE_TESTS.map((t) => nodeTest(t, 'static')),
  ...DYNAMIC_NODE_TESTS.map((t) => nodeTest(t, 'dynamic')),
];

function compareWithOrt(label: string, got: WireResults, expected: Record<string, Tensor>): void {
  for (const [run, results] of [
    ['first', got.first],
    ['second', got.second],
  ] as const) {
    expect(Object.keys(results).sort(), `${label}: outputs of the ${run} run`).toEqual(Object.keys(expected).sort());
    for (const [name, want] of Object.entries(expected)) {
      expect(mismatch(fromWire(results[name], name), want, TOLERANCE), `${label}: ${run} run, output '${name}'`).toBeNull();
    }
  }
}

describe('emitted cpu-js modules against onnxruntime, in a separate node process', () => {
  let runtimeDir: string;
  beforeAll(() => {
    runtimeDir = buildShears();
  }, 120_000);

  for (const c of CASES) {
    it.skipIf(!fs.existsSync(c.file))(`${c.name} (${c.kind})`, async (ctx) => {
      const model = c.model();
      const notes: string[] = [];
      const dir = path.join(tmp, path.basename(c.name, '.onnx'));
      try {
        writeFiles(dir, emitModule(model, { runtimeDir, note: (m) => notes.push(m) }));
      } catch (e) {
        if (e instanceof ShearsError && e.code === 'E_UNSUPPORTED_OP') ctx.skip(e.message.split('\n').join('; '));
        throw e;
      }
      expect(notes.join('\n')).toMatch(c.kind === 'static' ? /^static plan: / : /^dynamic module .*depends on values known only when it runs/);
      const feeds = c.feeds(model);
      const expected = await runOrt(c.file, feeds);
      compareWithOrt(c.name, runInNode(dir, 'model', feeds), expected);
    });
  }
});

describe('emitted cpu-js modules with --memory lean (weights read in place) against onnxruntime', () => {
  let runtimeDir: string;
  beforeAll(() => {
    runtimeDir = buildShears();
  }, 120_000);

  const leanCases = [fixture('test/fixtures/.cache/resnet18.onnx', {}), fixture('models/digits-cnn.onnx', { input: [3, 1, 8, 8] }), nodeTest('test_top_k', 'dynamic')];
  for (const c of leanCases) {
    it.skipIf(!fs.existsSync(c.file))(`${c.name} (${c.kind})`, async () => {
      const model = c.model();
      const dir = path.join(tmp, `lean-${path.basename(c.name, '.onnx')}`);
      writeFiles(dir, emitModule(model, { runtimeDir, memory: 'lean' }));
      const source = fs.readFileSync(path.join(dir, 'model.js'), 'utf8');
      expect(source).toMatch(c.kind === 'static' ? /memory\(W, \d+, 'lean'\)/ : /inputs, 'lean'\)/);
      const feeds = c.feeds(model);
      compareWithOrt(`${c.name}, lean`, runInNode(dir, 'model', feeds), await runOrt(c.file, feeds));
    });
  }

  it('refuses an unknown memory mode before writing anything', () => {
    expect(() => emitModule(loadModel('models/digits-cnn.onnx'), { runtimeDir, memory: 'tiny' as 'lean' })).toThrow(/memory mode 'tiny' is not one of fast, lean/);
  });
});
