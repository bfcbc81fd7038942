import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, tensor } from './op-check.js';

const scores = f32([3, 4, 2, 2], pseudoRandom(48));
const labels = i64([3, 2, 2], [0, 3, 1, 2, 2, 2, 0, 1, 3, 3, -1, 0]);
const weights = f32([4], [0.5, 2, 1, 0.25]);

describe('losses against onnxruntime', () => {
  for (const reduction of ['none', 'sum', 'mean']) {
    it(`SoftmaxCrossEntropyLoss ${reduction}, weighted, ignore_index -1, with log_prob`, async () => {
      await expectSameAsOrt({ op: 'SoftmaxCrossEntropyLoss', inputs: [scores, labels, weights], attributes: [attr.string('reduction', reduction), attr.int('ignore_index', -1)], outputs: 2 });
    });

    it(`NegativeLogLikelihoodLoss ${reduction} on float64 with int32 targets`, async () => {
      const input = new Tensor(DType.DOUBLE, [3, 4, 2], Float64Array.from(pseudoRandom(24, 5)));
      const target = tensor(DType.INT32, [3, 2], [0, 3, 1, 2, 2, 1]);
      await expectSameAsOrt({ op: 'NegativeLogLikelihoodLoss', inputs: [input, target], attributes: [attr.string('reduction', reduction), attr.int('ignore_index', 2)] });
    });
  }

  it('SoftmaxCrossEntropyLoss on [N, C] without weights', async () => {
    await expectSameAsOrt({ op: 'SoftmaxCrossEntropyLoss', inputs: [f32([5, 3], pseudoRandom(15, 3)), i64([5], [0, 2, 1, 1, 0])] });
  });
});
