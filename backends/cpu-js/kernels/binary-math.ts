/** Pow, Mod, BitShift: binary elementwise ops whose arithmetic depends on attributes or mixed input types. */
import { elementwise } from '../elementwise-kernel.js';
import { registerKernel } from '../kernel.js';
import { floorMod, floorModBig } from '../math-functions.js';

registerKernel(
  // The exponent may have another type than the base (opset 12); Number() reads either kind.
  elementwise({
    op: 'Pow',
    since: 7,
    expr: {
      float: 'Math.pow(x0, Number(x1))',
      int: 'Math.pow(x0, Number(x1))',
      big: 'BigInt(Math.trunc(Math.pow(Number(x0), Number(x1))))',
    },
  }),
  elementwise({
    op: 'Mod',
    since: 10,
    expr: { float: 'x0 % x1', int: 'fmod ? (x1 === 0 ? 0 : x0 % x1) : floorMod(x0, x1)', big: 'fmod ? (x1 === 0n ? 0n : x0 % x1) : floorModBig(x0, x1)' },
    params: (n) => ({ fmod: n.getInt('fmod', 0) !== 0, floorMod, floorModBig }),
  }),
  elementwise({
    op: 'BitShift',
    since: 11,
    expr: { int: 'left ? x0 << x1 : x0 >>> x1', big: 'left ? x0 << x1 : x0 >> x1' },
    params: (n) => ({ left: n.getString('direction', '') === 'LEFT' }),
    supports: (n) => (['LEFT', 'RIGHT'].includes(n.getString('direction', '')) ? true : "attribute 'direction' must be LEFT or RIGHT"),
  }),
);
