/**
 * GridSample (2-D): samples X [N, C, H, W] at the normalized (x, y) positions of grid
 * [N, H_out, W_out, 2] with nearest, bilinear or bicubic interpolation and zeros, border or
 * reflection padding — PyTorch's grid_sample, which defined the op.
 */
import { ShearsError } from '../../../src/error.js';
import { isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { roundHalfEven } from '../math-functions.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

type Padding = 'zeros' | 'border' | 'reflection';
type Mode = 'nearest' | 'linear' | 'cubic';

/** Folds `x` into [low/2, high/2] by mirroring at the ends (arguments doubled, as PyTorch keeps them integral). */
function reflect(x: number, twiceLow: number, twiceHigh: number): number {
  if (twiceLow === twiceHigh) return 0;
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  const d = Math.abs(x - min);
  const extra = d % span;
  const flips = Math.floor(d / span);
  return flips % 2 === 0 ? extra + min : span - extra + min;
}

/** Applies border or reflection padding to a pixel coordinate (zeros padding leaves it alone). */
function pad(x: number, size: number, padding: Padding, alignCorners: boolean): number {
  if (padding === 'zeros') return x;
  let c = x;
  if (padding === 'reflection') c = alignCorners ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1);
  return Math.min(Math.max(c, 0), size - 1);
}

function cubicWeights(t: number, w: Float64Array): void {
  const A = -0.75;
  const outer = (d: number): number => ((A * d - 5 * A) * d + 8 * A) * d - 4 * A;
  const inner = (d: number): number => ((A + 2) * d - (A + 3)) * d * d + 1;
  w[0] = outer(t + 1);
  w[1] = inner(t);
  w[2] = inner(1 - t);
  w[3] = outer(2 - t);
}

function gridSampleKernel(since: number, modeOf: (node: Node) => string): KernelDef {
  return {
    op: 'GridSample',
    since,
    supports: (node) => {
      const mode = modeOf(node);
      const padding = node.getString('padding_mode', 'zeros');
      if (!['nearest', 'linear', 'cubic'].includes(mode)) return `mode '${mode}' is not supported`;
      return ['zeros', 'border', 'reflection'].includes(padding) ? true : `padding_mode '${padding}' is not supported`;
    },
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      const grid = tensorTypeOf(node, ctx.inputTypes[1], 1);
      if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
      if (x.dims.length !== 4 || grid.dims.length !== 4 || grid.dims[0] !== x.dims[0] || grid.dims[3] !== 2) {
        throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: cpu-js samples 2-D inputs only: X [N,C,H,W] with grid [N,Ho,Wo,2] (got [${x.dims.join(',')}] and [${grid.dims.join(',')}])`, { node: node.name });
      }
      const [n, c, h, w] = x.dims;
      const [, ho, wo] = grid.dims;
      const mode = modeOf(node) as Mode;
      const padding = node.getString('padding_mode', 'zeros') as Padding;
      const alignCorners = node.getInt('align_corners', 0) !== 0;
      const unnormalize = (g: number, size: number): number => (alignCorners ? ((g + 1) / 2) * (size - 1) : ((g + 1) * size - 1) / 2);
      const wx = new Float64Array(4);
      const wy = new Float64Array(4);
      return (inputs, rc) => {
        const X = tensorInput(node, inputs, 0).data as Float32Array;
        const G = tensorInput(node, inputs, 1).data as Float32Array;
        const out = rc.output(0, x.dtype, [n, c, ho, wo]);
        const Y = out.data as Float32Array;
        let plane = 0;
        /** The pixel at (row, col) of the current plane; outside it, 0 (or a padded position for cubic taps). */
        const at = (row: number, col: number): number => {
          if (mode === 'cubic' && padding !== 'zeros') {
            col = pad(col, w, padding, alignCorners);
            row = pad(row, h, padding, alignCorners);
          }
          return row >= 0 && row < h && col >= 0 && col < w ? X[plane + row * w + col] : 0;
        };
        for (let b = 0; b < n; b++) {
          for (let p = 0; p < ho * wo; p++) {
            const gAt = (b * ho * wo + p) * 2;
            let fx = unnormalize(G[gAt], w);
            let fy = unnormalize(G[gAt + 1], h);
            if (mode !== 'cubic') {
              fx = pad(fx, w, padding, alignCorners);
              fy = pad(fy, h, padding, alignCorners);
            }
            const x0 = Math.floor(fx);
            const y0 = Math.floor(fy);
            const tx = fx - x0;
            const ty = fy - y0;
            if (mode === 'cubic') {
              cubicWeights(tx, wx);
              cubicWeights(ty, wy);
            }
            for (let ch = 0; ch < c; ch++) {
              plane = (b * c + ch) * h * w;
              let v: number;
              if (mode === 'nearest') v = at(roundHalfEven(fy), roundHalfEven(fx));
              else if (mode === 'linear') {
                v = (1 - ty) * ((1 - tx) * at(y0, x0) + tx * at(y0, x0 + 1)) + ty * ((1 - tx) * at(y0 + 1, x0) + tx * at(y0 + 1, x0 + 1));
              } else {
                v = 0;
                for (let i = 0; i < 4; i++) {
                  let row = 0;
                  for (let j = 0; j < 4; j++) row += wx[j] * at(y0 - 1 + i, x0 - 1 + j);
                  v += wy[i] * row;
                }
              }
              Y[((b * c + ch) * ho * wo) + p] = v;
            }
          }
        }
        return [out];
      };
    },
  };
}

const names: Record<string, string> = { bilinear: 'linear', bicubic: 'cubic', nearest: 'nearest' };

registerKernel(
  gridSampleKernel(16, (node) => {
    const m = node.getString('mode', 'bilinear');
    return names[m] ?? m;
  }),
  gridSampleKernel(20, (node) => node.getString('mode', 'linear')),
);
