/**
 * A spread of the ONNX node suite through emission: every 6th test cpu-js passes (all of them with
 * EMIT_SUITE=all), each emitted into its own folder under os.tmpdir(), all imported and run by one
 * separate `node` process, outputs compared with the suite's expected outputs. Most must come out
 * as static modules; the rest (shapes from input values, subgraphs) as dynamic ones.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { emitModule } from '../../../backends/cpu-js/emit/emit.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { loadModel } from '../../../src/onnx/import.js';
import { NODE_SUITE_DIR, readTestDataSets } from '../../helpers/node-suite.js';
import { mismatch } from './compare.js';
import { buildShears, fromWire, runNode, toWire, WIRE_CODEC, WireResults, writeFiles } from './emit-helpers.js';

const EXPECTED_PASSES = 'test/backends/cpu-js/expected-passes.txt';
const every = process.env.EMIT_SUITE === 'all' ? 1 : 6;
const names = fs.existsSync(NODE_SUITE_DIR)
  ? fs
      .readFileSync(EXPECTED_PASSES, 'utf8')
      .split('\n')
      .filter(Boolean)
      .filter((_, i) => i % every === 0)
  : [];

it.skipIf(names.length === 0)(`node-suite models emitted and run in a separate node process (every ${every === 1 ? '' : `${every}th `}expected pass)`, () => {
  const runtimeDir = buildShears();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-emit-suite-'));
  const cases: { name: string; expected: Record<string, Tensor> }[] = [];
  const kinds = { static: 0, dynamic: 0 };
  for (const name of names) {
    const model = loadModel(path.join(NODE_SUITE_DIR, name, 'model.onnx'));
    const data = readTestDataSets(path.join(NODE_SUITE_DIR, name), model.graph)[0];
    if (!data || data.nonTensor.length) continue;
    let note = '';
    writeFiles(path.join(root, name), emitModule(model, { runtimeDir, note: (m) => (note = m) }));
    kinds[note.startsWith('static plan') ? 'static' : 'dynamic']++;
    fs.writeFileSync(path.join(root, name, 'feeds.json'), JSON.stringify(Object.fromEntries(Object.entries(data.inputs).map(([k, t]) => [k, toWire(t)]))));
    cases.push({ name, expected: data.outputs });
  }
  fs.writeFileSync(
    path.join(root, 'main.mjs'),
    `${WIRE_CODEC}
import { readFileSync } from 'node:fs';
const results = {};
for (const name of ${JSON.stringify(cases.map((c) => c.name))}) {
  try {
    const { run } = await import('./' + name + '/model.js');
    results[name] = await wireRun(run, JSON.parse(readFileSync(name + '/feeds.json', 'utf8')));
  } catch (e) {
    results[name] = { error: String(e.stack || e) };
  }
}
process.stdout.write(JSON.stringify(results));
`,
  );
  const results = JSON.parse(runNode(root, 'main.mjs')) as Record<string, WireResults & { error?: string }>;
  fs.rmSync(root, { recursive: true, force: true });
  const problems: string[] = [];
  for (const c of cases) {
    const got = results[c.name];
    if (got.error) problems.push(`${c.name}: ${got.error}`);
    // The first run only: random ops (training-mode Dropout) draw anew on the next.
    else for (const [o, want] of Object.entries(c.expected)) {
      const m = got.first[o] ? mismatch(fromWire(got.first[o], o), want, { rtol: 1e-3, atol: 1e-4 }) : 'missing';
      if (m) problems.push(`${c.name}: output '${o}': ${m}`);
    }
  }
  console.log(`emitted ${cases.length} node-suite models: ${kinds.static} static, ${kinds.dynamic} dynamic`);
  expect(problems).toEqual([]);
  expect(kinds.static).toBeGreaterThan(cases.length * 0.75);
}, 600_000);
