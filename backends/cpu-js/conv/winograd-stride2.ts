/**
 * Winograd transforms for 3×3 stride-2 filters. Along one axis, output i of a tile reads inputs
 * x[2i], x[2i+1], x[2i+2] (i < m, 2m+1 inputs): split by parity, the even inputs e[j] = x[2j] meet
 * the 2-tap filter (w0, w2), an ordinary F(m, 2) on m+1 values, and the odd ones o[j] = x[2j+1]
 * the single tap w1 (nothing to transform). One algorithm on α = 2m+1 points per axis: positions
 * 0..m are F(m, 2)'s, positions m+1..2m the odd inputs; Aᵀ = [Aᵀ of F(m, 2) | I_m]. Applied along
 * columns, then rows: α² multiplies per m×m outputs, 81/16 ≈ 5.1 for m = 4 where a direct
 * convolution needs 9. F(m, 2) is the transposed Toom–Cook convolution on the points 0, 1, −1, 2, ∞
 * (the first m of the finite ones), Bᵀ scaled to integers, with the denominators moved into G:
 *   F(4, 2): Bᵀ = [2 −1 −2 1 0; 0 2 1 −1 0; 0 −2 3 −1 0; 0 −1 0 1 0; 0 2 −1 −2 1],
 *            G = [½ 0; ½ ½; 1/6 −1/6; 1/6 ⅓; 0 1], Aᵀ = [1 1 1 1 0; 0 1 −1 2 0; 0 1 1 4 0; 0 1 −1 8 1]
 *   F(3, 2): Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 −1 0 1], G = [1 0; ½ ½; ½ −½; 0 1],
 *            Aᵀ = [1 1 1 0; 0 1 −1 0; 0 1 1 1]
 *   F(2, 2): Bᵀ = [1 −1 0; 0 1 0; 0 −1 1], G = [1 0; 1 1; 0 1], Aᵀ = [1 1 0; 0 1 1]
 * (test/backends/cpu-js/winograd-stride2.test.ts checks each against a direct correlation and onnxruntime).
 */
import { LineTransform, separableVariant } from './winograd-separable.js';
import type { WinogradVariant, WinogradVariantName } from './winograd-transforms.js';

/** A stride-2 variant from its lines: G (the taps w0, w1, w2 into α = 2·out + 1 values), Bᵀ, and Aᵀ (α products into `out` outputs). */
function stride2Variant(name: WinogradVariantName, out: number, filter: LineTransform, input: LineTransform, output: LineTransform): WinogradVariant {
  return separableVariant({ name, tile: 2 * out + 1, out, taps: 3, stride: 2, filter, input, output });
}

export const F4x4Stride2 = stride2Variant(
  'F4x4Stride2',
  4,
  (g, at, step, o, to, k) => {
    const w0 = g[at];
    const w1 = g[at + step];
    const w2 = g[at + 2 * step];
    o[to] = w0 / 2;
    o[to + k] = (w0 + w2) / 2;
    o[to + 2 * k] = (w0 - w2) / 6;
    o[to + 3 * k] = w0 / 6 + w2 / 3;
    o[to + 4 * k] = w2;
    for (let i = 5; i < 9; i++) o[to + i * k] = w1;
  },
  (s, at, step, o, to, k) => {
    const e0 = s[at];
    const e1 = s[at + 2 * step];
    const e2 = s[at + 4 * step];
    const e3 = s[at + 6 * step];
    const e4 = s[at + 8 * step];
    o[to] = 2 * (e0 - e2) - e1 + e3;
    o[to + k] = 2 * e1 + e2 - e3;
    o[to + 2 * k] = 3 * e2 - 2 * e1 - e3;
    o[to + 3 * k] = e3 - e1;
    o[to + 4 * k] = 2 * (e1 - e3) - e2 + e4;
    o[to + 5 * k] = s[at + step];
    o[to + 6 * k] = s[at + 3 * step];
    o[to + 7 * k] = s[at + 5 * step];
    o[to + 8 * k] = s[at + 7 * step];
  },
  (m, at, step, o, to, k) => {
    const m1 = m[at + step];
    const m2 = m[at + 2 * step];
    const m3 = m[at + 3 * step];
    o[to] = m[at] + m1 + m2 + m3 + m[at + 5 * step];
    o[to + k] = m1 - m2 + 2 * m3 + m[at + 6 * step];
    o[to + 2 * k] = m1 + m2 + 4 * m3 + m[at + 7 * step];
    o[to + 3 * k] = m1 - m2 + 8 * m3 + m[at + 4 * step] + m[at + 8 * step];
  },
);

export const F3x3Stride2 = stride2Variant(
  'F3x3Stride2',
  3,
  (g, at, step, o, to, k) => {
    const w0 = g[at];
    const w1 = g[at + step];
    const w2 = g[at + 2 * step];
    o[to] = w0;
    o[to + k] = (w0 + w2) / 2;
    o[to + 2 * k] = (w0 - w2) / 2;
    o[to + 3 * k] = w2;
    for (let i = 4; i < 7; i++) o[to + i * k] = w1;
  },
  (s, at, step, o, to, k) => {
    const e1 = s[at + 2 * step];
    const e2 = s[at + 4 * step];
    o[to] = s[at] - e2;
    o[to + k] = e1 + e2;
    o[to + 2 * k] = e2 - e1;
    o[to + 3 * k] = s[at + 6 * step] - e1;
    o[to + 4 * k] = s[at + step];
    o[to + 5 * k] = s[at + 3 * step];
    o[to + 6 * k] = s[at + 5 * step];
  },
  (m, at, step, o, to, k) => {
    const m1 = m[at + step];
    const m2 = m[at + 2 * step];
    o[to] = m[at] + m1 + m2 + m[at + 4 * step];
    o[to + k] = m1 - m2 + m[at + 5 * step];
    o[to + 2 * k] = m1 + m2 + m[at + 3 * step] + m[at + 6 * step];
  },
);

export const F2x2Stride2 = stride2Variant(
  'F2x2Stride2',
  2,
  (g, at, step, o, to, k) => {
    const w0 = g[at];
    const w1 = g[at + step];
    const w2 = g[at + 2 * step];
    o[to] = w0;
    o[to + k] = w0 + w2;
    o[to + 2 * k] = w2;
    o[to + 3 * k] = w1;
    o[to + 4 * k] = w1;
  },
  (s, at, step, o, to, k) => {
    const e1 = s[at + 2 * step];
    o[to] = s[at] - e1;
    o[to + k] = e1;
    o[to + 2 * k] = s[at + 4 * step] - e1;
    o[to + 3 * k] = s[at + step];
    o[to + 4 * k] = s[at + 3 * step];
  },
  (m, at, step, o, to, k) => {
    const m1 = m[at + step];
    o[to] = m[at] + m1 + m[at + 3 * step];
    o[to + k] = m1 + m[at + 2 * step] + m[at + 4 * step];
  },
);
