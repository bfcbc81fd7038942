/**
 * A 7×7 stride-2 convolution (the stem of ResNets) as a stride-1 4×4 convolution over its input
 * seen through space-to-depth. Output row o reads input rows 2o + k − p (k < 7); writing
 * k − p = 2q + r splits them by parity r into phase planes X_r[i] = x[2i + r], read at i = o + q,
 * four values of q per phase. Each (channel, row phase, column phase) becomes one of 4C channels,
 * the 7×7 filter one 4×4 filter per phase (taps beyond 7×7 are zero), and that convolution runs by
 * Winograd F(3×3, 4×4) or F(5×5, 4×4), whichever pads the GEMMs least: 4 or 2.56 multiplies per
 * output and phase channel, 48 or 31 for 3 input channels where the direct convolution needs 147.
 */
import { scratch } from '../gemm/scratch.js';
import type { ConvNumerics, ConvShape } from './conv-gemm.js';
import { isSquare2d, WinogradConv } from './winograd.js';

const KERNEL = 7;
const TAPS = 4;

export function spaceToDepthApplies(shape: ConvShape): boolean {
  return isSquare2d(shape, KERNEL, 2) && shape.outChannels >= 8;
}

export class SpaceToDepthConv {
  private readonly winograd: WinogradConv;
  /** Rows and columns of each phase plane. */
  private readonly phaseH: number;
  private readonly phaseW: number;

  constructor(readonly shape: ConvShape, numerics: ConvNumerics, weights: ArrayLike<number>) {
    const g = shape.geom;
    const [, H, W] = g.inSize;
    this.phaseH = Math.ceil(H / 2);
    this.phaseW = Math.ceil(W / 2);
    const firstTap = [Math.floor(-g.padBegin[1] / 2), Math.floor(-g.padBegin[2] / 2)];
    const phased: ConvShape = {
      batch: shape.batch,
      inChannels: 4 * shape.inChannels,
      outChannels: shape.outChannels,
      group: 1,
      geom: {
        rank: 2,
        inSize: [1, this.phaseH, this.phaseW],
        outSize: g.outSize,
        kernel: [1, TAPS, TAPS],
        strides: [1, 1, 1],
        dilations: [1, 1, 1],
        padBegin: [0, -firstTap[0], -firstTap[1]],
        padEnd: [0, 0, 0],
      },
    };
    this.winograd = new WinogradConv(phased, numerics, phasedFilters(shape, weights, firstTap, [g.padBegin[1], g.padBegin[2]]));
  }

  run(x: ArrayLike<number>, bias: Float64Array, y: Float32Array): void {
    const { batch, inChannels: C } = this.shape;
    const [, H, W] = this.shape.geom.inSize;
    const { phaseH, phaseW } = this;
    const phases = scratch('phases', Float32Array, batch * 4 * C * phaseH * phaseW);
    let at = 0;
    for (let plane = 0; plane < batch * C; plane++) {
      const base = plane * H * W;
      for (let ry = 0; ry < 2; ry++) {
        for (let rx = 0; rx < 2; rx++) {
          for (let i = 0; i < phaseH; i++) {
            const h = 2 * i + ry;
            for (let j = 0, w = rx; j < phaseW; j++, w += 2) phases[at++] = h < H && w < W ? x[base + h * W + w] : 0;
          }
        }
      }
    }
    this.winograd.run(phases, bias, y);
  }
}

/** Per output channel m and phase channel (c, ry, rx): the 4×4 filter of taps k = 2(t + firstTap) + r + pad. */
function phasedFilters(shape: ConvShape, w: ArrayLike<number>, firstTap: number[], pad: number[]): Float32Array {
  const { inChannels: C, outChannels: M } = shape;
  const out = new Float32Array(M * 4 * C * TAPS * TAPS);
  let at = 0;
  for (let m = 0; m < M; m++) {
    for (let c = 0; c < C; c++) {
      const filter = (m * C + c) * KERNEL * KERNEL;
      for (let ry = 0; ry < 2; ry++) {
        for (let rx = 0; rx < 2; rx++) {
          for (let ty = 0; ty < TAPS; ty++) {
            const ky = 2 * (ty + firstTap[0]) + ry + pad[0];
            for (let tx = 0; tx < TAPS; tx++, at++) {
              const kx = 2 * (tx + firstTap[1]) + rx + pad[1];
              if (ky >= 0 && ky < KERNEL && kx >= 0 && kx < KERNEL) out[at] = w[filter + ky * KERNEL + kx];
            }
          }
        }
      }
    }
  }
  return out;
}
