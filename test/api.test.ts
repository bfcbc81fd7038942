import { describe, expect, it } from 'vitest';
import * as shears from '../src/index.js';
import { readTestDataSets } from './helpers/node-suite.js';

const dir = '/usr/share/libonnx-testdata/data/node/test_gather_0';

describe('the public API', () => {
  it('loads, optimizes, compiles and runs a model as the README shows', async () => {
    const model = shears.loadModel(`${dir}/model.onnx`);
    const report = shears.optimize(model);
    expect(report).toBeTruthy();
    const [set] = readTestDataSets(dir, model.graph);
    const exe = shears.compile(model);
    const out = await exe.run(set.inputs);
    const name = model.graph.outputs[0].name;
    const got = out[name] as shears.Tensor;
    const want = set.outputs[name];
    expect(got.dims).toEqual(want.dims);
    expect(Array.from(got.data as Float32Array)).toEqual(Array.from(want.data as Float32Array));
    exe.dispose();
  });

  it('lists the cpu-js back end and the registered passes', () => {
    expect(shears.backendNames()).toContain('cpu-js');
    expect([...shears.passRegistry.passes.keys()]).toEqual(expect.arrayContaining(['dce', 'fold-constants', 'prune-magnitude', 'prune-channels']));
  });
});
