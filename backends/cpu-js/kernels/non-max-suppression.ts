/**
 * NonMaxSuppression: per batch and class, boxes by descending score (ties: lower index first) above
 * score_threshold, each kept unless its IoU with an already kept box exceeds iou_threshold, at most
 * max_output_boxes_per_class of them. Output rows are [batch, class, box] in that order.
 */
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { registerKernel } from '../kernel.js';
import { optionalTensor, tensorInput, tensorTypeOf } from '../tensors.js';

registerKernel({
  op: 'NonMaxSuppression',
  since: 10,
  create(ctx) {
    const { node } = ctx;
    const boxes = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const scores = tensorTypeOf(node, ctx.inputTypes[1], 1);
    const [batches, count] = boxes.dims;
    const classes = scores.dims[1];
    if (boxes.dims.length !== 3 || boxes.dims[2] !== 4 || scores.dims.length !== 3 || scores.dims[0] !== batches || scores.dims[2] !== count) {
      throw new ShearsError('E_SHAPE', `${describe(node)}: boxes [${boxes.dims.join(',')}] and scores [${scores.dims.join(',')}] must be [B, N, 4] and [B, C, N]`, { node: node.name });
    }
    const centerPoint = node.getInt('center_point_box', 0) === 1;
    // Corners as [y1, x1, y2, x2] with y1 <= y2 and x1 <= x2, and areas, per box of the current batch.
    const corners = new Float64Array(count * 4);
    const areas = new Float64Array(count);
    const order = new Int32Array(count);
    const kept = new Int32Array(count);
    return (inputs, rc) => {
      const B = tensorInput(node, inputs, 0).data as Float32Array;
      const S = tensorInput(node, inputs, 1).data as Float32Array;
      const maxTensor = optionalTensor(inputs, 2);
      const maxPerClass = maxTensor ? Number(maxTensor.data[0]) : 0;
      const iouThreshold = Number(optionalTensor(inputs, 3)?.data[0] ?? 0);
      const scoreTensor = optionalTensor(inputs, 4);
      const scoreThreshold = scoreTensor ? Number(scoreTensor.data[0]) : -Infinity;
      const selected: number[] = [];
      for (let b = 0; b < batches && maxPerClass > 0; b++) {
        for (let i = 0; i < count; i++) {
          const at = (b * count + i) * 4;
          const c = i * 4;
          if (centerPoint) {
            corners[c] = B[at + 1] - B[at + 3] / 2;
            corners[c + 1] = B[at] - B[at + 2] / 2;
            corners[c + 2] = B[at + 1] + B[at + 3] / 2;
            corners[c + 3] = B[at] + B[at + 2] / 2;
          } else {
            corners[c] = Math.min(B[at], B[at + 2]);
            corners[c + 1] = Math.min(B[at + 1], B[at + 3]);
            corners[c + 2] = Math.max(B[at], B[at + 2]);
            corners[c + 3] = Math.max(B[at + 1], B[at + 3]);
          }
          areas[i] = (corners[c + 2] - corners[c]) * (corners[c + 3] - corners[c + 1]);
        }
        for (let c = 0; c < classes; c++) {
          const base = (b * classes + c) * count;
          let candidates = 0;
          for (let i = 0; i < count; i++) if (S[base + i] > scoreThreshold) order[candidates++] = i;
          order.subarray(0, candidates).sort((p, q) => S[base + q] - S[base + p] || p - q);
          let keptCount = 0;
          for (let k = 0; k < candidates && keptCount < maxPerClass; k++) {
            const i = order[k];
            let suppressed = false;
            for (let m = 0; m < keptCount && !suppressed; m++) {
              const j = kept[m];
              const h = Math.min(corners[i * 4 + 2], corners[j * 4 + 2]) - Math.max(corners[i * 4], corners[j * 4]);
              const w = Math.min(corners[i * 4 + 3], corners[j * 4 + 3]) - Math.max(corners[i * 4 + 1], corners[j * 4 + 1]);
              if (h <= 0 || w <= 0) continue;
              const inter = h * w;
              const union = areas[i] + areas[j] - inter;
              if (union > 0 && inter / union > iouThreshold) suppressed = true;
            }
            if (suppressed) continue;
            kept[keptCount++] = i;
            selected.push(b, c, i);
          }
        }
      }
      const out = rc.output(0, DType.INT64, [selected.length / 3, 3]);
      const dst = out.data as BigInt64Array;
      for (let i = 0; i < selected.length; i++) dst[i] = BigInt(selected[i]);
      return [out];
    };
  },
});
