import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { compileCommand } from '../../src/cli/compile.js';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { tensorType } from '../../src/ir/types.js';
import { saveModel } from '../../src/onnx/save.js';

function compile(argv: string[]): Promise<number> | number {
  return compileCommand.run(parseArgs(argv, compileCommand.options), { out: () => {}, err: () => {} });
}

describe('shears compile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shears-compile-'));
  const m = new Model(new Map([['', 17]]));
  const x = m.graph.addInput('x', tensorType(DType.FLOAT, [1]));
  m.graph.outputs = [m.graph.addNode({ opType: 'Frobnicate', inputs: [x], outputs: ['y'] }).outputs[0]!];
  const file = path.join(dir, 'odd.onnx');
  saveModel(m, file);

  it('needs --output', () => {
    expect(() => compile([file])).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('lists unsupported ops and writes nothing', () => {
    const out = path.join(dir, 'out');
    expect(() => compile([file, '--output', out])).toThrow(expect.objectContaining({ code: 'E_UNSUPPORTED_OP', message: expect.stringMatching(/Frobnicate/) }));
    expect(fs.existsSync(out)).toBe(false);
  });
});
