/** Where(condition, X, Y) with three-way broadcasting. */
import { elementwise } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';

registerKernel(elementwise({ op: 'Where', since: 9, expr: { bool: 'x0 ? x1 : x2' }, output: (dtypes) => dtypes[1] }));
