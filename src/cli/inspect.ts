import * as fs from 'node:fs';
import { formatShape } from '../ir/types.js';
import { summarizeModel } from '../ir/summary.js';
import { loadModel } from '../onnx/import.js';
import type { Command } from './command.js';
import { requirePositional } from './command.js';
import { humanBytes, humanCount, table, withCommas } from './format.js';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Summarize a model: ops, parameters, bytes by dtype, FLOPs, inputs/outputs, per-weight sparsity.',
  usage: 'shears inspect MODEL.onnx [--json]',
  description: `
FLOPs are MACs x 2 of Conv, ConvTranspose, Gemm and MatMul with inferred shapes; symbolic input
dims (such as a batch dim) are taken as 1 for the estimate, and the output says which.
Parameters count the elements of every floating-point weight: initializers, sparse initializers
and Constant nodes' tensors. Sparsity is the fraction of elements exactly equal to zero.
--json prints the same facts as JSON (schema in the README).`,
  options: [{ name: 'json', type: 'boolean', description: 'print JSON instead of tables' }],
  run(args, io) {
    const [file] = requirePositional(args, 1, 'one model file');
    const model = loadModel(file);
    const s = summarizeModel(model);
    const fileBytes = fs.statSync(file).size;
    if (args.options.get('json')) {
      io.out(JSON.stringify({ file, fileBytes, ...s }, null, 2) + '\n');
      return 0;
    }
    const opsets = Object.entries(s.opsets).map(([d, v]) => `${d} ${v}`).join(', ');
    const assume = Object.keys(s.flopsAssume);
    const lines = [
      `model     ${file} (${humanBytes(fileBytes)})`,
      `format    ONNX ir_version ${s.irVersion}, opset ${opsets}${s.producer.name ? `, from ${s.producer.name} ${s.producer.version}` : ''}`,
      `nodes     ${withCommas(s.nodes)}`,
      `params    ${withCommas(s.params)} (${humanCount(s.params)})`,
      `FLOPs     ${withCommas(s.flops)} (${humanCount(s.flops)})${assume.length ? ` with ${assume.map((d) => `${d}=1`).join(', ')}` : ''}${s.flopsUncounted ? `; ${s.flopsUncounted} nodes with unknown shapes not counted` : ''}`,
      '',
      'inputs',
      table(['name', 'dtype', 'shape'], s.inputs.map((t) => [t.name, t.dtype, formatShape(t.shape)])),
      '',
      'outputs',
      table(['name', 'dtype', 'shape'], s.outputs.map((t) => [t.name, t.dtype, formatShape(t.shape)])),
      '',
      'ops',
      table(['op', 'count'], Object.entries(s.ops), [false, true]),
      '',
      'bytes by dtype',
      table(['dtype', 'bytes'], Object.entries(s.bytesByDtype).map(([d, b]) => [d, `${withCommas(b)} (${humanBytes(b)})`]), [false, true]),
      '',
      'weights',
      table(
        ['name', 'source', 'dtype', 'shape', 'elements', 'zeros', 'sparsity'],
        s.initializers.map((w) => [w.name, w.source, w.dtype, formatShape(w.shape), withCommas(w.elements), withCommas(w.zeros), `${(w.sparsity * 100).toFixed(1)}%`]),
        [false, false, false, false, true, true, true],
      ),
    ];
    io.out(lines.join('\n') + '\n');
    return 0;
  },
};
