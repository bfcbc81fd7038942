import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, tensor } from './op-check.js';

const data = f32([3, 4, 2], pseudoRandom(24));

describe('gather and scatter kernels against onnxruntime', () => {
  it('GatherElements on a middle axis with negative indices and a smaller index shape', async () => {
    await expectSameAsOrt({ op: 'GatherElements', inputs: [data, i64([2, 3, 2], [0, -1, 3, 2, 1, 0, -4, 3, 2, 2, 0, 1])], attributes: [attr.int('axis', 1)] });
  });

  it('GatherND with batch_dims=1 on int32 data', async () => {
    const x = tensor(DType.INT32, [2, 3, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    await expectSameAsOrt({ op: 'GatherND', inputs: [x, i64([2, 2, 1], [2, 0, 1, -1])], attributes: [attr.int('batch_dims', 1)] });
  });

  it('GatherND picking scalars with full-length tuples', async () => {
    await expectSameAsOrt({ op: 'GatherND', inputs: [data, i64([2, 3], [0, 1, 1, 2, 3, 0])] });
  });

  for (const reduction of ['none', 'add', 'mul', 'max', 'min']) {
    it(`ScatterElements reduction=${reduction} (opset 18)`, async () => {
      const indices = i64([2, 4, 2], [0, 1, 2, 0, 1, 1, 0, 2, 2, 2, 1, 0, 0, 0, 1, 2]);
      await expectSameAsOrt({ op: 'ScatterElements', opset: 18, inputs: [data, indices, f32([2, 4, 2], pseudoRandom(16, 9))], attributes: [attr.int('axis', 0), attr.string('reduction', reduction)] });
    });

    it(`ScatterND reduction=${reduction} on int64 data (opset 18)`, async () => {
      const x = i64([4, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      await expectSameAsOrt({ op: 'ScatterND', opset: 18, inputs: [x, i64([3, 1], [3, 0, 3]), i64([3, 3], [5, -1, 2, 7, 7, 7, 0, 9, -3])], attributes: [attr.string('reduction', reduction)] });
    });
  }
});
