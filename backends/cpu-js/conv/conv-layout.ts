/**
 * What an im2col convolution (dense GEMM or sparse) derives from its shape: per-group channel
 * counts, the reduction length K, and how many output positions one packed im2col chunk holds.
 */
import { NR } from '../gemm/microkernel.js';
import type { ConvShape } from './conv-gemm.js';
import { windowVolumes } from './geometry.js';
import { Im2colPacker } from './im2col.js';

/** Packed patches per chunk stay near this size, so that a chunk stays in cache. */
const CHUNK_BUDGET_BYTES = 512 * 1024;

export interface ConvLayout {
  /** Output and input channels per group. */
  Mg: number;
  Cg: number;
  /** Reduction length: Cg × kernel taps. */
  K: number;
  inVolume: number;
  outVolume: number;
  /** A 1×1, stride-1, unpadded conv: the input already is the patch matrix. */
  pointwise: boolean;
  /** Output positions per im2col chunk (a multiple of NR). */
  chunk: number;
  packer: Im2colPacker;
}

export function convLayout(shape: ConvShape, bytesPerElement: number): ConvLayout {
  const { geom, inChannels, outChannels, group } = shape;
  const Cg = inChannels / group;
  const v = windowVolumes(geom);
  const K = Cg * v.kernelVolume;
  return {
    Mg: outChannels / group,
    Cg,
    K,
    inVolume: v.inVolume,
    outVolume: v.outVolume,
    pointwise: v.kernelVolume === 1 && geom.strides.every((s) => s === 1) && geom.padBegin.every((p) => p === 0) && v.inVolume === v.outVolume,
    chunk: Math.max(1, Math.floor(CHUNK_BUDGET_BYTES / (Math.max(1, K) * NR * bytesPerElement))) * NR,
    packer: new Im2colPacker(geom, Cg),
  };
}
