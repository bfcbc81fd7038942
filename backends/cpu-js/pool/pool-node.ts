/** Reading a windowed pooling node (MaxPool, AveragePool, LpPool): its geometry and output dims. */
import type { Node } from '../../../src/ir/node.js';
import { WindowGeometry, shapeError, windowGeometry } from '../conv/geometry.js';

export interface PoolShape {
  geom: WindowGeometry;
  /** Batch × channels: the planes pooled independently. */
  planes: number;
  outDims: number[];
}

export function poolShape(node: Node, xDims: readonly number[]): PoolShape {
  if (xDims.length < 3) throw shapeError(node, `input of rank ${xDims.length} has no spatial axes`);
  const kernel = node.getInts('kernel_shape');
  if (!kernel) throw shapeError(node, 'kernel_shape is required');
  const geom = windowGeometry(node, xDims.slice(2), kernel, { ceil: node.getInt('ceil_mode', 0) !== 0 });
  return { geom, planes: xDims[0] * xDims[1], outDims: [xDims[0], xDims[1], ...geom.outSize.slice(3 - geom.rank)] };
}
