/**
 * Window geometry shared by Conv, ConvTranspose, ConvInteger and the pooling ops: kernel, strides,
 * dilations and pads per spatial axis, resolved against the input's spatial dims (auto_pad,
 * ceil_mode). Spatial axes are always three (D, H, W), 1-D and 2-D ops padding with leading 1s,
 * so that every loop over windows is written once.
 */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';

export interface WindowGeometry {
  /** Spatial rank of the op (1, 2 or 3); the arrays below always have 3 entries. */
  rank: number;
  inSize: number[];
  outSize: number[];
  kernel: number[];
  strides: number[];
  dilations: number[];
  padBegin: number[];
  padEnd: number[];
}

export function shapeError(node: Node, message: string): ShearsError {
  return new ShearsError('E_SHAPE', `${describe(node)}: ${message}`, { node: node.name });
}

/** `values` (one per spatial axis) left-padded with `fill` to three axes. */
function toThree(values: readonly number[], fill: number): number[] {
  return [...new Array<number>(3 - values.length).fill(fill), ...values];
}

/** A geometry from one value per spatial axis, padded to three axes (sizes with 1, pads with 0). */
export function threeAxisGeometry(axes: { [K in Exclude<keyof WindowGeometry, 'rank'>]: readonly number[] }): WindowGeometry {
  return {
    rank: axes.inSize.length,
    inSize: toThree(axes.inSize, 1),
    outSize: toThree(axes.outSize, 1),
    kernel: toThree(axes.kernel, 1),
    strides: toThree(axes.strides, 1),
    dilations: toThree(axes.dilations, 1),
    padBegin: toThree(axes.padBegin, 0),
    padEnd: toThree(axes.padEnd, 0),
  };
}

export function product(xs: readonly number[]): number {
  let p = 1;
  for (const x of xs) p *= x;
  return p;
}

function perAxis(node: Node, name: string, rank: number, fallback: number): number[] {
  const v = node.getInts(name) ?? new Array<number>(rank).fill(fallback);
  if (v.length !== rank) throw shapeError(node, `${name} has ${v.length} entries for ${rank} spatial axes`);
  if (v.some((x) => !Number.isInteger(x) || x < 1)) throw shapeError(node, `${name} [${v.join(',')}] must be positive`);
  return v;
}

export interface WindowOptions {
  /** Pooling's ceil_mode: the output size rounds up instead of down (but no window starts in the end padding). */
  ceil?: boolean;
}

/** The geometry of a sliding-window op over spatial input dims `inSpatial` with kernel `kernel`. */
export function windowGeometry(node: Node, inSpatial: readonly number[], kernel: readonly number[], options: WindowOptions = {}): WindowGeometry {
  const rank = inSpatial.length;
  if (rank < 1 || rank > 3) throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: cpu-js handles 1 to 3 spatial axes, not ${rank}`, { node: node.name });
  if (kernel.length !== rank || kernel.some((k) => !Number.isInteger(k) || k < 1)) throw shapeError(node, `kernel shape [${kernel.join(',')}] does not fit ${rank} spatial axes`);
  const strides = perAxis(node, 'strides', rank, 1);
  const dilations = perAxis(node, 'dilations', rank, 1);
  const autoPad = node.getString('auto_pad', 'NOTSET');
  const padBegin = new Array<number>(rank).fill(0);
  const padEnd = new Array<number>(rank).fill(0);
  const outSize = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const span = (kernel[i] - 1) * dilations[i] + 1;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      outSize[i] = Math.ceil(inSpatial[i] / strides[i]);
      const total = Math.max(0, (outSize[i] - 1) * strides[i] + span - inSpatial[i]);
      const small = Math.floor(total / 2);
      padBegin[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      padEnd[i] = total - padBegin[i];
      continue;
    }
    if (autoPad === 'NOTSET') {
      const pads = node.getInts('pads') ?? new Array<number>(2 * rank).fill(0);
      if (pads.length !== 2 * rank || pads.some((p) => !Number.isInteger(p) || p < 0)) throw shapeError(node, `pads [${pads.join(',')}] must be ${2 * rank} non-negative integers`);
      padBegin[i] = pads[i];
      padEnd[i] = pads[i + rank];
    } else if (autoPad !== 'VALID') throw shapeError(node, `auto_pad '${autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
    const room = inSpatial[i] + padBegin[i] + padEnd[i] - span;
    if (room < 0) throw shapeError(node, `a window of ${span} does not fit spatial axis ${i} of size ${inSpatial[i]} with pads ${padBegin[i]}+${padEnd[i]}`);
    outSize[i] = (options.ceil ? Math.ceil(room / strides[i]) : Math.floor(room / strides[i])) + 1;
    // Rounding up must not add a window that starts in the end padding (onnxruntime and PyTorch drop it).
    if (options.ceil && (outSize[i] - 1) * strides[i] >= inSpatial[i] + padBegin[i]) outSize[i]--;
  }
  return threeAxisGeometry({ inSize: inSpatial, outSize, kernel, strides, dilations, padBegin, padEnd });
}

/** Collapses the geometry's three axes to sizes (inputs per channel, outputs per channel, kernel taps). */
export function windowVolumes(g: WindowGeometry): { inVolume: number; outVolume: number; kernelVolume: number } {
  return { inVolume: product(g.inSize), outVolume: product(g.outSize), kernelVolume: product(g.kernel) };
}
