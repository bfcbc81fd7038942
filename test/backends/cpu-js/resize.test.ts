import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, tensor } from './op-check.js';

const x = f32([1, 2, 3, 4], pseudoRandom(24));
const noRoi = null;

describe('Resize against onnxruntime', () => {
  const coordinateModes = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'half_pixel_symmetric'];
  for (const mode of ['nearest', 'linear', 'cubic']) {
    for (const coords of coordinateModes) {
      it(`${mode} ${coords}, sizes up in one dim and down in another (opset 19)`, async () => {
        await expectSameAsOrt({
          op: 'Resize',
          opset: 19,
          inputs: [x, noRoi, null, i64([4], [1, 2, 5, 3])],
          attributes: [attr.string('mode', mode), attr.string('coordinate_transformation_mode', coords)],
        });
      });
    }
  }

  for (const nearest of ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil']) {
    it(`nearest_mode ${nearest} with scales 1.5 and 0.75`, async () => {
      await expectSameAsOrt({ op: 'Resize', opset: 13, inputs: [x, noRoi, f32([4], [1, 1, 1.5, 0.75])], attributes: [attr.string('nearest_mode', nearest)] });
    });
  }

  it('cubic with exclude_outside and A = -0.5, downsampling', async () => {
    await expectSameAsOrt({
      op: 'Resize',
      opset: 13,
      inputs: [f32([1, 1, 5, 6], pseudoRandom(30)), noRoi, f32([4], [1, 1, 0.6, 0.5])],
      attributes: [attr.string('mode', 'cubic'), attr.float('cubic_coeff_a', -0.5), attr.int('exclude_outside', 1)],
    });
  });

  it('tf_crop_and_resize with an extrapolation value', async () => {
    await expectSameAsOrt({
      op: 'Resize',
      opset: 13,
      inputs: [f32([1, 1, 4, 4], pseudoRandom(16)), f32([8], [0, 0, 0.4, -0.2, 1, 1, 1.3, 0.8]), null, i64([4], [1, 1, 3, 5])],
      attributes: [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'tf_crop_and_resize'), attr.float('extrapolation_value', 7)],
    });
  });

  for (const policy of ['not_larger', 'not_smaller']) {
    it(`keep_aspect_ratio_policy ${policy} with axes (opset 18)`, async () => {
      await expectSameAsOrt({
        op: 'Resize',
        opset: 18,
        inputs: [x, noRoi, null, i64([2], [7, 5])],
        attributes: [attr.string('mode', 'linear'), attr.ints('axes', [2, 3]), attr.string('keep_aspect_ratio_policy', policy)],
      });
    });
  }

  for (const mode of ['linear', 'cubic']) {
    it(`${mode} with antialias, down by 0.3 and 0.6 and up by 1.5 (opset 18)`, async () => {
      const big = f32([1, 2, 10, 7], pseudoRandom(140, 8));
      await expectSameAsOrt({ op: 'Resize', opset: 18, inputs: [big, noRoi, f32([4], [1, 1, 0.3, 0.6])], attributes: [attr.string('mode', mode), attr.int('antialias', 1)] });
      await expectSameAsOrt({ op: 'Resize', opset: 18, inputs: [big, noRoi, null, i64([4], [1, 2, 3, 11])], attributes: [attr.string('mode', mode), attr.int('antialias', 1), attr.int('exclude_outside', 1)] });
    });
  }

  it('nearest on uint8 data with scales given for two axes only', async () => {
    const u8 = tensor(DType.UINT8, [1, 1, 2, 3], [1, 2, 3, 250, 251, 252]);
    await expectSameAsOrt({ op: 'Resize', opset: 18, inputs: [u8, noRoi, f32([2], [2, 1.5])], attributes: [attr.ints('axes', [2, 3])] });
  });

  it('opset-10 Resize and Upsample, nearest and linear', async () => {
    const scales = f32([4], [1, 1, 2, 2.5]);
    await expectSameAsOrt({ op: 'Resize', opset: 10, inputs: [x, scales] });
    await expectSameAsOrt({ op: 'Resize', opset: 10, inputs: [x, scales], attributes: [attr.string('mode', 'linear')] });
    await expectSameAsOrt({ op: 'Upsample', opset: 9, inputs: [x, scales], attributes: [attr.string('mode', 'linear')] });
  });
});
