/**
 * MaxRoiPool (Fast R-CNN's RoI pooling): each region [batch, x1, y1, x2, y2] (scaled by
 * spatial_scale and rounded half away from zero) is cut into pooled_shape bins; each output is its
 * bin's maximum, 0 for an empty bin. Bin edges are computed in float32, as onnxruntime does.
 */
import { DType } from '../../../src/ir/dtype.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

const f = Math.fround;

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

registerKernel({
  op: 'MaxRoiPool',
  supports: (node) => (node.getInts('pooled_shape')?.length === 2 ? true : 'pooled_shape must have 2 entries'),
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const rois = tensorTypeOf(node, ctx.inputTypes[1], 1);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    if (x.dims.length !== 4 || rois.dims.length !== 2 || rois.dims[1] !== 5) throw shapeError(node, `input [${x.dims.join(',')}] and rois [${rois.dims.join(',')}] must be [N,C,H,W] and [R,5]`);
    const [PH, PW] = node.getInts('pooled_shape')!;
    const scale = node.getFloat('spatial_scale', 1);
    const [batch, C, H, W] = x.dims;
    const R = rois.dims[0];
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const rr = tensorInput(node, inputs, 1).data as Float32Array;
      const out = rc.output(0, x.dtype, [R, C, PH, PW]);
      const Y = out.data as Float32Array;
      let o = 0;
      for (let r = 0; r < R; r++) {
        const b = rr[r * 5];
        if (!(b >= 0 && b < batch)) throw shapeError(node, `region ${r} names batch ${b} of ${batch}`);
        const x1 = roundHalfAway(f(rr[r * 5 + 1] * scale));
        const y1 = roundHalfAway(f(rr[r * 5 + 2] * scale));
        const x2 = roundHalfAway(f(rr[r * 5 + 3] * scale));
        const y2 = roundHalfAway(f(rr[r * 5 + 4] * scale));
        const binH = f(Math.max(y2 - y1 + 1, 1) / PH);
        const binW = f(Math.max(x2 - x1 + 1, 1) / PW);
        for (let c = 0; c < C; c++) {
          const plane = (b * C + c) * H * W;
          for (let ph = 0; ph < PH; ph++) {
            const h0 = Math.min(Math.max(Math.floor(f(ph * binH)) + y1, 0), H);
            const h1 = Math.min(Math.max(Math.ceil(f((ph + 1) * binH)) + y1, 0), H);
            for (let pw = 0; pw < PW; pw++, o++) {
              const w0 = Math.min(Math.max(Math.floor(f(pw * binW)) + x1, 0), W);
              const w1 = Math.min(Math.max(Math.ceil(f((pw + 1) * binW)) + x1, 0), W);
              let m = -Infinity;
              for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) m = Math.max(m, X[plane + h * W + w]);
              Y[o] = h1 <= h0 || w1 <= w0 ? 0 : m;
            }
          }
        }
      }
      return [out];
    };
  },
});
