import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectCommand } from '../../src/cli/inspect.js';
import { parseArgs } from '../../src/cli/args.js';
import { runCli } from './run-cli.js';

const bundled = 'models/digits-cnn.onnx';
const nodeSuite = '/usr/share/libonnx-testdata/data/node';

/** Reference figures from the onnx Python package: its own shape inference and numpy sizes. */
function pythonFacts(model: string): { params: number; macs: number; zeros: Record<string, number> } {
  const script = `
import json, sys, numpy as np, onnx
from onnx import numpy_helper, shape_inference
m = onnx.load(sys.argv[1])
floats = {1, 10, 11, 16}
params = sum(int(np.prod(t.dims)) for t in m.graph.initializer if t.data_type in floats)
zeros = {t.name: int((numpy_helper.to_array(t) == 0).sum()) for t in m.graph.initializer}
for d in m.graph.input:
    for dim in d.type.tensor_type.shape.dim:
        if dim.dim_param: dim.dim_value = 1
m = shape_inference.infer_shapes(m)
shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in list(m.graph.value_info) + list(m.graph.output) + list(m.graph.input)}
for t in m.graph.initializer: shapes[t.name] = list(t.dims)
macs = 0
for n in m.graph.node:
    out = shapes[n.output[0]]
    if n.op_type == 'Conv':
        macs += int(np.prod(out)) * int(np.prod(shapes[n.input[1]][1:]))
    elif n.op_type == 'Gemm':
        a = shapes[n.input[0]]
        transA = next((at.i for at in n.attribute if at.name == 'transA'), 0)
        macs += int(np.prod(out)) * (a[0] if transA else a[1])
    elif n.op_type == 'MatMul':
        macs += int(np.prod(out)) * shapes[n.input[0]][-1]
print(json.dumps({"params": params, "macs": macs, "zeros": zeros}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, model], { encoding: 'utf8' }));
}

describe('shears inspect', () => {
  it('prints the tables for the bundled model', () => {
    const r = runCli(['inspect', bundled]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const heading of ['inputs', 'outputs', 'ops', 'bytes by dtype', 'weights', 'FLOPs', 'params']) expect(r.stdout).toContain(heading);
    expect(r.stdout).toMatch(/Conv\s+3/);
  });

  it('--json agrees with the onnx Python package on params, FLOPs and zeros', () => {
    const r = runCli(['inspect', bundled, '--json']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    const ref = pythonFacts(bundled);
    expect(s.params).toBe(ref.params);
    expect(s.flops).toBe(2 * ref.macs);
    expect(s.flopsAssume).toEqual({ batch: 1 });
    expect(s.flopsUncounted).toBe(0);
    for (const w of s.initializers) expect(w.zeros).toBe(ref.zeros[w.name]);
    expect(s.ops).toMatchObject({ Conv: 3, Gemm: 2 });
    expect(s.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }]);
    expect(s.outputs).toEqual([{ name: 'logits', dtype: 'float32', shape: ['batch', 10] }]);
  });

  it('counts the weights held in Constant nodes and reports their sparsity', () => {
    const r = runCli(['inspect', path.join(nodeSuite, 'test_constant/model.onnx'), '--json']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    const constants = s.initializers.filter((w: { source: string }) => w.source === 'constant');
    expect(constants.length).toBe(1);
    expect(s.params).toBe(constants[0].elements);
  });

  it('prints a table for every node-suite model', async () => {
    const dirs = fs.readdirSync(nodeSuite).sort();
    let printed = 0;
    const failures: string[] = [];
    for (const d of dirs) {
      let text = '';
      const io = { out: (t: string) => void (text += t), err: (t: string) => void (text += t) };
      try {
        const code = await inspectCommand.run(parseArgs([path.join(nodeSuite, d, 'model.onnx')], inspectCommand.options), io);
        if (code === 0 && text.includes('ops')) printed++;
        else failures.push(`${d}: exit ${code}`);
      } catch (e) {
        failures.push(`${d}: ${(e as Error).message}`);
      }
    }
    console.log(`inspect: printed ${printed}/${dirs.length} node-suite models`);
    expect(failures).toEqual([]);
  });
});

describe('CLI errors', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-cli-'));

  it.each([
    ['a missing file', () => path.join(tmp, 'nope.onnx'), 'E_IO'],
    ['a text file', () => write('notes.onnx', 'this is not a model\n'), 'E_PARSE'],
    ['an empty file', () => write('empty.onnx', ''), 'E_PARSE'],
    ['a truncated model', () => write('cut.onnx', fs.readFileSync(bundled).subarray(0, 5000)), 'E_PARSE'],
  ])('%s gives one line and exit 2', (_, make, code) => {
    const r = runCli(['inspect', make()]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(code);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('--debug adds the stack trace', () => {
    const r = runCli(['inspect', write('junk.onnx', 'junk'), '--debug']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/at .*:\d+/);
  });

  it('an unknown command or option is a usage error listing the valid ones', () => {
    const a = runCli(['inspekt', bundled]);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('inspect');
    const b = runCli(['inspect', bundled, '--jsno']);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--json');
  });

  it('--help explains the commands and each command', () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    expect(top.stdout).toContain('inspect');
    const sub = runCli(['inspect', '--help']);
    expect(sub.status).toBe(0);
    expect(sub.stdout).toContain('--json');
  });

  function write(name: string, content: string | Uint8Array): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, content);
    return file;
  }
});
