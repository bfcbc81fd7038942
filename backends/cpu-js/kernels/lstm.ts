/**
 * LSTM, gates in ONNX order i, o, f, c, with optional peepholes P = [Pi, Po, Pf]:
 *   i = f(Xi + H₋₁·Riᵀ + Pi ⊙ C₋₁ + b), f = f(Xf + H₋₁·Rfᵀ + Pf ⊙ C₋₁ + b)  (input_forget: f = 1 - i)
 *   C = f ⊙ C₋₁ + i ⊙ g(Xc + H₋₁·Rcᵀ + b)
 *   o = f(Xo + H₋₁·Roᵀ + Po ⊙ C + b), H = o ⊙ h(C)
 */
import { clamp, recurrentKernel } from '../recurrent.js';
import { registerKernel } from '../kernel.js';

const I = 0;
const O = 1;
const F = 2;
const C = 3;

registerKernel(
  recurrentKernel({
    op: 'LSTM',
    since: 7,
    gates: 4,
    defaultActivations: ['Sigmoid', 'Tanh', 'Tanh'],
    hasCellState: true,
    makeCell(node, H, clip) {
      const inputForget = node.getInt('input_forget', 0) !== 0;
      const pre = new Float64Array(4 * H);
      return (s) => {
        const [f, g, h] = s.act;
        const { p, pAt, cPrev } = s;
        for (let gate = 0; gate < 4; gate++) {
          for (let j = 0; j < H; j++) {
            const at = gate * H + j;
            let v = s.xw[s.xwAt + at] + s.rb[s.rbAt + at];
            const row = s.rAt + at * H;
            for (let k = 0; k < H; k++) v += s.r[row + k] * s.hPrev[k];
            pre[at] = v;
          }
        }
        for (let j = 0; j < H; j++) {
          const i = f(clamp(pre[I * H + j] + (p ? p[pAt + j] * cPrev[j] : 0), clip));
          const fg = inputForget ? 1 - i : f(clamp(pre[F * H + j] + (p ? p[pAt + 2 * H + j] * cPrev[j] : 0), clip));
          const c = fg * cPrev[j] + i * g(clamp(pre[C * H + j], clip));
          const o = f(clamp(pre[O * H + j] + (p ? p[pAt + H + j] * c : 0), clip));
          s.c[j] = c;
          s.h[j] = o * h(c);
        }
      };
    },
  }),
);
