/**
 * ConvTranspose's geometry: each input position scatters a kernel window into the output at
 * position·stride − padBegin + tap·dilation. The output size comes from output_shape when given
 * (pads then derive from it; an output larger than the full one gets rows holding only the bias),
 * else from pads / auto_pad and output_padding. A derived total pad (never negative) puts its odd
 * unit at the end for SAME_UPPER and at the start otherwise, as onnxruntime and the ONNX reference do.
 */
import type { Node } from '../../../src/ir/node.js';
import { WindowGeometry, shapeError, threeAxisGeometry } from './geometry.js';

function perAxis(node: Node, name: string, rank: number, fallback: number, min: number): number[] {
  const v = node.getInts(name) ?? new Array<number>(rank).fill(fallback);
  if (v.length !== rank || v.some((x) => !Number.isInteger(x) || x < min)) throw shapeError(node, `${name} [${v.join(',')}] must be ${rank} integers ≥ ${min}`);
  return v;
}

/** A WindowGeometry whose inSize is ConvTranspose's input and outSize its output. */
export function transposeGeometry(node: Node, inSpatial: readonly number[], kernel: readonly number[]): WindowGeometry {
  const rank = inSpatial.length;
  if (kernel.length !== rank) throw shapeError(node, `kernel shape [${kernel.join(',')}] does not fit ${rank} spatial axes`);
  const strides = perAxis(node, 'strides', rank, 1, 1);
  const dilations = perAxis(node, 'dilations', rank, 1, 1);
  const outputPadding = perAxis(node, 'output_padding', rank, 0, 0);
  const autoPad = node.getString('auto_pad', 'NOTSET');
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) throw shapeError(node, `auto_pad '${autoPad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
  const requested = node.getInts('output_shape');
  if (requested && requested.length < rank) throw shapeError(node, `output_shape [${requested.join(',')}] has fewer than ${rank} entries`);
  const pads = node.getInts('pads') ?? new Array<number>(2 * rank).fill(0);
  if (pads.length !== 2 * rank) throw shapeError(node, `pads [${pads.join(',')}] must have ${2 * rank} entries`);
  const padBegin = new Array<number>(rank);
  const padEnd = new Array<number>(rank);
  const outSize = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const full = (inSpatial[i] - 1) * strides[i] + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1;
    if (requested || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      outSize[i] = requested ? requested[requested.length - rank + i] : inSpatial[i] * strides[i];
      const total = Math.max(0, full - outSize[i]);
      const half = Math.floor(total / 2);
      padBegin[i] = autoPad === 'SAME_UPPER' ? half : total - half;
      padEnd[i] = total - padBegin[i];
    } else {
      padBegin[i] = autoPad === 'VALID' ? 0 : pads[i];
      padEnd[i] = autoPad === 'VALID' ? 0 : pads[i + rank];
      outSize[i] = full - padBegin[i] - padEnd[i];
    }
    if (!(outSize[i] >= 0)) throw shapeError(node, `output size ${outSize[i]} along spatial axis ${i} is negative`);
  }
  return threeAxisGeometry({ inSize: inSpatial, outSize, kernel, strides, dilations, padBegin, padEnd });
}
