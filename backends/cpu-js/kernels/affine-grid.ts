/**
 * AffineGrid (opset 20): the sampling grid GridSample reads, from affine matrices theta [N, 2, 3]
 * (2-D) or [N, 3, 4] (3-D) applied to the normalized coordinates of an output of `size`.
 */
import { ShearsError } from '../../../src/error.js';
import { isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { intValues, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'AffineGrid',
  since: 20,
  create(ctx) {
    const { node } = ctx;
    const theta = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (!isFloat(theta.dtype)) throw unsupportedType(node, theta.dtype);
    const alignCorners = node.getInt('align_corners', 0) !== 0;
    // Normalized coordinate of pixel i of n: pixel centers, or corners with align_corners.
    const coordinate = (i: number, n: number): number => (n === 1 ? 0 : alignCorners ? -1 + (2 * i) / (n - 1) : (2 * i + 1) / n - 1);
    const base = new Float64Array(3);
    return (inputs, rc) => {
      const size = intValues(tensorInput(node, inputs, 1));
      const spatial = size.slice(2);
      const k = spatial.length;
      if ((k !== 2 && k !== 3) || theta.dims.join() !== [size[0], k, k + 1].join()) {
        throw new ShearsError('E_SHAPE', `${describe(node)}: theta [${theta.dims.join(',')}] does not fit size [${size.join(',')}] (expected [N, 2, 3] or [N, 3, 4])`, { node: node.name });
      }
      const T = tensorInput(node, inputs, 0).data as Float32Array;
      const points = elementCount(spatial);
      const out = rc.output(0, theta.dtype, [size[0], ...spatial, k]);
      const Y = out.data as Float32Array;
      // Spatial dims are [H, W] or [D, H, W]; output components are in (x, y[, z]) order.
      const [d, h, w] = k === 2 ? [1, spatial[0], spatial[1]] : spatial;
      for (let b = 0; b < size[0]; b++) {
        const m = b * k * (k + 1);
        for (let p = 0; p < points; p++) {
          base[0] = coordinate(p % w, w);
          base[1] = coordinate(Math.floor(p / w) % h, h);
          base[2] = coordinate(Math.floor(p / (w * h)) % d, d);
          for (let r = 0; r < k; r++) {
            let v = T[m + r * (k + 1) + k];
            for (let c = 0; c < k; c++) v += T[m + r * (k + 1) + c] * base[c];
            Y[(b * points + p) * k + r] = v;
          }
        }
      }
      return [out];
    };
  },
});
