/** StringConcat (opset 20): elementwise concatenation of two string tensors, with broadcasting. */
import { DType } from '../../../src/ir/dtype.js';
import { elementwise } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';

registerKernel(elementwise({ op: 'StringConcat', since: 20, expr: { string: 'x0 + x1' }, output: () => DType.STRING }));
