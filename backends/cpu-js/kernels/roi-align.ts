/**
 * RoiAlign (Mask R-CNN): each region's output bins average (or take the max of) bilinear samples
 * on a sampling_ratio grid per bin (adaptive: ceil(region size / bins)). Sample positions, the
 * clamping at the border and the max mode (the largest of the four weighted corner values, as
 * onnxruntime computes it) follow onnxruntime. coordinate_transformation_mode defaults to
 * half_pixel from opset 16 and was output_half_pixel (no half-pixel shift) before.
 */
import { DType } from '../../../src/ir/dtype.js';
import { shapeError } from '../conv/geometry.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** Bilinear sample positions and weights of one sample; all zero outside the image. */
interface Sample {
  p1: number;
  p2: number;
  p3: number;
  p4: number;
  w1: number;
  w2: number;
  w3: number;
  w4: number;
}

function sample(y: number, x: number, H: number, W: number, s: Sample): void {
  if (y < -1 || y > H || x < -1 || x > W) {
    s.p1 = s.p2 = s.p3 = s.p4 = 0;
    s.w1 = s.w2 = s.w3 = s.w4 = 0;
    return;
  }
  if (y <= 0) y = 0;
  if (x <= 0) x = 0;
  let y0 = Math.floor(y);
  let x0 = Math.floor(x);
  let y1: number;
  let x1: number;
  if (y0 >= H - 1) y = y0 = y1 = H - 1;
  else y1 = y0 + 1;
  if (x0 >= W - 1) x = x0 = x1 = W - 1;
  else x1 = x0 + 1;
  const ly = y - y0;
  const lx = x - x0;
  const hy = 1 - ly;
  const hx = 1 - lx;
  s.p1 = y0 * W + x0;
  s.p2 = y0 * W + x1;
  s.p3 = y1 * W + x0;
  s.p4 = y1 * W + x1;
  s.w1 = hy * hx;
  s.w2 = hy * lx;
  s.w3 = ly * hx;
  s.w4 = ly * lx;
}

registerKernel({
  op: 'RoiAlign',
  supports(node) {
    const mode = node.getString('mode', 'avg');
    if (mode !== 'avg' && mode !== 'max') return `mode '${mode}' is not avg or max`;
    const ctm = node.getString('coordinate_transformation_mode', 'half_pixel');
    return ctm === 'half_pixel' || ctm === 'output_half_pixel' ? true : `coordinate_transformation_mode '${ctm}' is not half_pixel or output_half_pixel`;
  },
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const rois = tensorTypeOf(node, ctx.inputTypes[1], 1);
    if (x.dtype !== DType.FLOAT && x.dtype !== DType.DOUBLE) throw unsupportedType(node, x.dtype);
    if (x.dims.length !== 4 || rois.dims.length !== 2 || rois.dims[1] !== 4) throw shapeError(node, `input [${x.dims.join(',')}] and rois [${rois.dims.join(',')}] must be [N,C,H,W] and [R,4]`);
    const max = node.getString('mode', 'avg') === 'max';
    const OH = node.getInt('output_height', 1);
    const OW = node.getInt('output_width', 1);
    const ratio = node.getInt('sampling_ratio', 0);
    const scale = node.getFloat('spatial_scale', 1);
    const halfPixel = node.getString('coordinate_transformation_mode', node.opset >= 16 ? 'half_pixel' : 'output_half_pixel') === 'half_pixel';
    const [batch, C, H, W] = x.dims;
    const R = rois.dims[0];
    const s: Sample = { p1: 0, p2: 0, p3: 0, p4: 0, w1: 0, w2: 0, w3: 0, w4: 0 };
    return (inputs, rc) => {
      const X = tensorInput(node, inputs, 0).data as Float32Array;
      const rr = tensorInput(node, inputs, 1).data as Float32Array;
      const bi = tensorInput(node, inputs, 2).data as BigInt64Array;
      const out = rc.output(0, x.dtype, [R, C, OH, OW]);
      const Y = out.data as Float32Array;
      const offset = halfPixel ? 0.5 : 0;
      for (let r = 0; r < R; r++) {
        const b = Number(bi[r]);
        if (!(b >= 0 && b < batch)) throw shapeError(node, `region ${r} names batch ${b} of ${batch}`);
        const x0 = rr[r * 4] * scale - offset;
        const y0 = rr[r * 4 + 1] * scale - offset;
        let rw = rr[r * 4 + 2] * scale - offset - x0;
        let rh = rr[r * 4 + 3] * scale - offset - y0;
        if (!halfPixel) {
          rw = Math.max(rw, 1);
          rh = Math.max(rh, 1);
        }
        const binH = rh / OH;
        const binW = rw / OW;
        const gridH = ratio > 0 ? ratio : Math.ceil(rh / OH);
        const gridW = ratio > 0 ? ratio : Math.ceil(rw / OW);
        const count = Math.max(gridH * gridW, 1);
        for (let c = 0; c < C; c++) {
          const plane = (b * C + c) * H * W;
          for (let ph = 0; ph < OH; ph++) {
            for (let pw = 0; pw < OW; pw++) {
              let acc = 0;
              let first = true;
              for (let iy = 0; iy < gridH; iy++) {
                const yy = y0 + ph * binH + ((iy + 0.5) * binH) / gridH;
                for (let ix = 0; ix < gridW; ix++) {
                  sample(yy, x0 + pw * binW + ((ix + 0.5) * binW) / gridW, H, W, s);
                  const v1 = s.w1 * X[plane + s.p1];
                  const v2 = s.w2 * X[plane + s.p2];
                  const v3 = s.w3 * X[plane + s.p3];
                  const v4 = s.w4 * X[plane + s.p4];
                  if (!max) acc += v1 + v2 + v3 + v4;
                  else {
                    const v = Math.max(v1, v2, v3, v4);
                    acc = first ? v : Math.max(acc, v);
                    first = false;
                  }
                }
              }
              Y[((r * C + c) * OH + ph) * OW + pw] = max ? acc : acc / count;
            }
          }
        }
      }
      return [out];
    };
  },
});
