/** Elementwise math on one input. Float ops run on float16/bfloat16 through float32 (see create-kernel.ts). */
import { elementwise, elementwiseFamily } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';
import { erf, roundHalfEven } from '../math-functions.js';

const f = (expr: string) => ({ float: expr });

registerKernel(
  ...elementwiseFamily({
    Exp: f('Math.exp(x0)'),
    Log: f('Math.log(x0)'),
    Sqrt: f('Math.sqrt(x0)'),
    Reciprocal: f('1 / x0'),
    Floor: f('Math.floor(x0)'),
    Ceil: f('Math.ceil(x0)'),
    Sin: f('Math.sin(x0)'),
    Cos: f('Math.cos(x0)'),
    Tan: f('Math.tan(x0)'),
    Asin: f('Math.asin(x0)'),
    Acos: f('Math.acos(x0)'),
    Atan: f('Math.atan(x0)'),
    Sinh: f('Math.sinh(x0)'),
    Cosh: f('Math.cosh(x0)'),
    Asinh: f('Math.asinh(x0)'),
    Acosh: f('Math.acosh(x0)'),
    Atanh: f('Math.atanh(x0)'),
    Abs: { float: 'Math.abs(x0)', int: 'x0 < 0 ? -x0 : x0', big: 'x0 < 0n ? -x0 : x0' },
    Neg: { float: '-x0', int: '-x0', big: '-x0' },
    Sign: { float: 'x0 > 0 ? 1 : x0 < 0 ? -1 : x0', int: 'x0 > 0 ? 1 : x0 < 0 ? -1 : 0', big: 'x0 > 0n ? 1n : x0 < 0n ? -1n : 0n' },
  }),
  elementwise({ op: 'Erf', expr: f('erf(x0)'), params: () => ({ erf }) }),
  elementwise({ op: 'Round', expr: f('roundHalfEven(x0)'), params: () => ({ roundHalfEven }) }),
);
