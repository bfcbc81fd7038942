/** RNN: H = f(X·Wᵀ + H₋₁·Rᵀ + Wb + Rb). */
import { clamp, recurrentKernel } from '../recurrent.js';
import { registerKernel } from '../kernel.js';

registerKernel(
  recurrentKernel({
    op: 'RNN',
    since: 7,
    gates: 1,
    defaultActivations: ['Tanh'],
    hasCellState: false,
    makeCell: (_, H, clip) => (s) => {
      const f = s.act[0];
      for (let j = 0; j < H; j++) {
        let v = s.xw[s.xwAt + j] + s.rb[s.rbAt + j];
        const row = s.rAt + j * H;
        for (let k = 0; k < H; k++) v += s.r[row + k] * s.hPrev[k];
        s.h[j] = f(clamp(v, clip));
      }
    },
  }),
);
