/** Tile: the input repeated `repeats[d]` times along each dim d. */
import { ShearsError } from '../../../src/error.js';
import { describe } from '../../../src/ir/node.js';
import { copyByAxisMaps } from '../axis-maps.js';
import { registerKernel } from '../kernel.js';
import { intValues, tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'Tile',
  since: 6,
  widenHalf: false,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    return (inputs, rc) => {
      const repeats = intValues(tensorInput(node, inputs, 1));
      if (repeats.length !== x.dims.length || repeats.some((r) => r < 0)) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: repeats [${repeats.join(',')}] do not fit an input of rank ${x.dims.length}`, { node: node.name });
      }
      const outDims = x.dims.map((d, i) => d * repeats[i]);
      const maps = outDims.map((n, i) => Int32Array.from({ length: n }, (_, c) => c % x.dims[i]));
      const out = rc.output(0, x.dtype, outDims);
      copyByAxisMaps(tensorInput(node, inputs, 0).data as ArrayLike<unknown>, x.dims, maps, outDims, out.data as unknown[], undefined);
      return [out];
    };
  },
});
