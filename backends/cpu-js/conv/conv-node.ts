/** Reading a Conv-like node (Conv, ConvInteger, FusedConv) into the shape ConvGemm runs. */
import type { Node } from '../../../src/ir/node.js';
import type { ConvShape } from './conv-gemm.js';
import { shapeError, windowGeometry } from './geometry.js';

/** Conv's shape from X [N, C, spatial…] and W [M, C/group, kernel…]; checks the two agree. */
export function convShape(node: Node, xDims: readonly number[], wDims: readonly number[]): ConvShape {
  if (xDims.length < 3) throw shapeError(node, `input of rank ${xDims.length} has no spatial axes`);
  if (wDims.length !== xDims.length) throw shapeError(node, `weights of rank ${wDims.length} do not match an input of rank ${xDims.length}`);
  const group = node.getInt('group', 1);
  const [batch, inChannels] = xDims;
  const outChannels = wDims[0];
  if (!(group >= 1) || inChannels % group !== 0 || outChannels % group !== 0 || wDims[1] * group !== inChannels) {
    throw shapeError(node, `${inChannels} input channels, ${outChannels} output channels and weights [${wDims.join(',')}] do not fit group ${group}`);
  }
  const kernel = wDims.slice(2);
  const declared = node.getInts('kernel_shape');
  if (declared && (declared.length !== kernel.length || declared.some((k, i) => k !== kernel[i]))) {
    throw shapeError(node, `kernel_shape [${declared.join(',')}] differs from the weights' [${kernel.join(',')}]`);
  }
  return { geom: windowGeometry(node, xDims.slice(2), kernel), batch, inChannels, outChannels, group };
}

export function convOutputDims(shape: ConvShape): number[] {
  return [shape.batch, shape.outChannels, ...shape.geom.outSize.slice(3 - shape.geom.rank)];
}

/** Per-output-channel bias as doubles (zeros when absent). */
export function biasValues(outChannels: number, b: ArrayLike<number> | null, into: Float64Array = new Float64Array(outChannels)): Float64Array {
  if (!b) return into.fill(0);
  for (let i = 0; i < outChannels; i++) into[i] = b[i];
  return into;
}
