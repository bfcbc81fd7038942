/**
 * CenterCropPad (opset 18): each listed axis cropped or zero-padded to the requested length around
 * its center; an odd surplus goes to the end when padding and is taken from the end when cropping,
 * as the ONNX reference does.
 */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { normalizeAxes } from '../axes.js';
import { copyByAxisMaps } from '../axis-maps.js';
import { registerKernel } from '../kernel.js';
import { elementClass, intValues, tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'CenterCropPad',
  since: 18,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const rank = x.dims.length;
    const axes = normalizeAxes(node, node.getInts('axes') ?? x.dims.map((_, i) => i), rank);
    const kind = elementClass(x.dtype);
    const fill = kind === 'big' ? 0n : kind === 'string' ? '' : 0;
    return (inputs, rc) => {
      const shape = intValues(tensorInput(node, inputs, 1));
      if (shape.length !== axes.length || shape.some((s) => s < 0)) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: shape [${shape.join(',')}] does not give a length for each of ${axes.length} axes`, { node: node.name });
      }
      const outDims = [...x.dims];
      axes.forEach((a, i) => (outDims[a] = shape[i]));
      const maps = outDims.map((m, d) => {
        const n = x.dims[d];
        // Output coordinate c reads input c + shift: crop shifts forward, pad shifts back.
        const shift = m <= n ? Math.floor((n - m) / 2) : -Math.floor((m - n) / 2);
        return Int32Array.from({ length: m }, (_, c) => (c + shift >= 0 && c + shift < n ? c + shift : -1));
      });
      const out = rc.output(0, x.dtype, outDims);
      copyByAxisMaps(tensorInput(node, inputs, 0).data as ArrayLike<unknown>, x.dims, maps, outDims, out.data as unknown[], fill);
      return [out];
    };
  },
});
