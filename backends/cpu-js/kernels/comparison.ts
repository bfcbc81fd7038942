/** Comparisons and logical ops: broadcasting, bool output. */
import { DType } from '../../../src/ir/dtype.js';
import { elementwise } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';

const bool = () => DType.BOOL;
const compare = (op: string, test: string, since = 7) =>
  elementwise({ op, since, output: bool, expr: { float: `x0 ${test} x1 ? 1 : 0`, int: `x0 ${test} x1 ? 1 : 0`, big: `x0 ${test} x1 ? 1 : 0`, bool: `x0 ${test} x1 ? 1 : 0`, string: `x0 ${test} x1 ? 1 : 0` } });

registerKernel(
  compare('Equal', '===', 7),
  compare('Less', '<', 7),
  compare('Greater', '>', 7),
  compare('LessOrEqual', '<=', 12),
  compare('GreaterOrEqual', '>=', 12),
  elementwise({ op: 'And', since: 7, expr: { bool: 'x0 & x1' } }),
  elementwise({ op: 'Or', since: 7, expr: { bool: 'x0 | x1' } }),
  elementwise({ op: 'Xor', since: 7, expr: { bool: 'x0 ^ x1' } }),
  elementwise({ op: 'Not', expr: { bool: '1 - x0' } }),
  elementwise({ op: 'IsNaN', output: bool, expr: { float: 'x0 !== x0 ? 1 : 0' } }),
  elementwise({
    op: 'IsInf',
    output: bool,
    expr: { float: '(x0 === Infinity && positive) || (x0 === -Infinity && negative) ? 1 : 0' },
    params: (n) => ({ positive: n.getInt('detect_positive', 1) !== 0, negative: n.getInt('detect_negative', 1) !== 0 }),
  }),
);
