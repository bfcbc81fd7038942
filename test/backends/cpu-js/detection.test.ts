import { describe, it } from 'vitest';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom } from './op-check.js';

describe('NonMaxSuppression, RoiAlign and GridSample against onnxruntime', () => {
  const boxes = f32([2, 6, 4], pseudoRandom(48, 3).map((v) => v * 4));
  const scores = f32([2, 3, 6], pseudoRandom(36, 4).map((v) => (v + 1) / 2));

  for (const center of [0, 1]) {
    it(`NonMaxSuppression, center_point_box=${center}, with score threshold`, async () => {
      await expectSameAsOrt({ op: 'NonMaxSuppression', inputs: [boxes, scores, i64([], [3]), f32([], [0.2]), f32([], [0.3])], attributes: [attr.int('center_point_box', center)] });
    });
  }

  it('NonMaxSuppression without optional inputs selects nothing', async () => {
    await expectSameAsOrt({ op: 'NonMaxSuppression', inputs: [boxes, scores] });
  });

  for (const mode of ['avg', 'max']) {
    for (const coords of ['half_pixel', 'output_half_pixel']) {
      it(`RoiAlign ${mode}, ${coords}, adaptive sampling`, async () => {
        const rois = f32([3, 4], [0, 0, 5, 4, 1.5, 2.2, 6.1, 7.9, -1, 3, 2, 9]);
        await expectSameAsOrt({
          op: 'RoiAlign',
          inputs: [f32([2, 3, 8, 7], pseudoRandom(336, 5)), rois, i64([3], [1, 0, 1])],
          attributes: [attr.string('mode', mode), attr.string('coordinate_transformation_mode', coords), attr.int('output_height', 3), attr.int('output_width', 2), attr.float('spatial_scale', 0.9)],
        });
      });
    }
  }

  for (const mode of ['nearest', 'bilinear', 'bicubic']) {
    for (const padding of ['zeros', 'border', 'reflection']) {
      for (const align of [0, 1]) {
        it(`GridSample ${mode}, ${padding} padding, align_corners=${align}`, async () => {
          const grid = f32([2, 3, 4, 2], pseudoRandom(48, 6).map((v) => v * 1.4));
          await expectSameAsOrt({
            op: 'GridSample',
            opset: 16,
            inputs: [f32([2, 2, 5, 4], pseudoRandom(80, 7)), grid],
            attributes: [attr.string('mode', mode), attr.string('padding_mode', padding), attr.int('align_corners', align)],
          });
        });
      }
    }
  }
});
