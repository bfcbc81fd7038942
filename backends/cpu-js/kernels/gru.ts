/**
 * GRU, gates in ONNX order z (update), r (reset), h (hidden):
 *   z = f(Xz + H₋₁·Rzᵀ + bz), r = f(Xr + H₋₁·Rrᵀ + br)
 *   h̃ = g(Xh + (r ⊙ H₋₁)·Rhᵀ + Rbh + Wbh)        (linear_before_reset = 0)
 *   h̃ = g(Xh + r ⊙ (H₋₁·Rhᵀ + Rbh) + Wbh)        (linear_before_reset = 1)
 *   H = (1 - z) ⊙ h̃ + z ⊙ H₋₁
 */
import { clamp, recurrentKernel } from '../recurrent.js';
import { registerKernel } from '../kernel.js';

registerKernel(
  recurrentKernel({
    op: 'GRU',
    since: 7,
    gates: 3,
    defaultActivations: ['Sigmoid', 'Tanh'],
    hasCellState: false,
    makeCell(node, H, clip) {
      const linearBeforeReset = node.getInt('linear_before_reset', 0) !== 0;
      const z = new Float64Array(H);
      const r = new Float64Array(H);
      const reset = new Float64Array(H);
      return (s) => {
        const [f, g] = s.act;
        const { xw, xwAt, rb, rbAt, hPrev } = s;
        const rowOf = (gate: number, j: number): number => s.rAt + (gate * H + j) * H;
        for (let j = 0; j < H; j++) {
          let vz = xw[xwAt + j] + rb[rbAt + j];
          let vr = xw[xwAt + H + j] + rb[rbAt + H + j];
          const zr = rowOf(0, j);
          const rr = rowOf(1, j);
          for (let k = 0; k < H; k++) {
            vz += s.r[zr + k] * hPrev[k];
            vr += s.r[rr + k] * hPrev[k];
          }
          z[j] = f(clamp(vz, clip));
          r[j] = f(clamp(vr, clip));
          reset[j] = r[j] * hPrev[j];
        }
        for (let j = 0; j < H; j++) {
          const hr = rowOf(2, j);
          let rec = 0;
          for (let k = 0; k < H; k++) rec += s.r[hr + k] * (linearBeforeReset ? hPrev[k] : reset[k]);
          const bias = rb[rbAt + 2 * H + j];
          const v = xw[xwAt + 2 * H + j] + (linearBeforeReset ? r[j] * (rec + bias) : rec + bias);
          s.h[j] = (1 - z[j]) * g(clamp(v, clip)) + z[j] * hPrev[j];
        }
      };
    },
  }),
);
