import { printModel } from '../ir/print.js';
import { loadModel } from '../onnx/import.js';
import type { Command } from './command.js';
import { requirePositional } from './command.js';

export const printCommand: Command = {
  name: 'print',
  summary: "Print a model's IR as readable, diffable text.",
  usage: 'shears print MODEL.onnx [--inline N]',
  description: `
Every node is one line: outputs = Op(inputs) {attributes}  # "node name". Subgraphs are indented
under their node. Tensors with at most N elements are printed in full, larger ones as dtype, shape
and a content fingerprint (fnv), so two prints differ exactly where the models differ.`,
  options: [{ name: 'inline', type: 'number', default: 8, value: 'N', description: 'print tensors with at most N elements in full' }],
  run(args, io) {
    const [file] = requirePositional(args, 1, 'one model file');
    io.out(printModel(loadModel(file), { inlineElements: args.options.get('inline') as number }));
    return 0;
  },
};
