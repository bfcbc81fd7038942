import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, tensor } from './op-check.js';

const x = f32([2, 3, 4], pseudoRandom(24));

describe('Pad, Tile, Split, DepthToSpace and friends against onnxruntime', () => {
  for (const mode of ['constant', 'reflect', 'edge', 'wrap']) {
    it(`Pad ${mode} with negative pads and an axes input (opset 19)`, async () => {
      // onnxruntime limits reflect pads to the axis size - 1.
      const pads = mode === 'reflect' ? [2, -1, 1, 1] : [2, -1, 3, 1];
      await expectSameAsOrt({ op: 'Pad', opset: 19, inputs: [x, i64([4], pads), f32([], [1.5]), i64([2], [1, -1])], attributes: [attr.string('mode', mode)] });
    });
  }

  it('Pad reflect on int64 data with pads of size - 1', async () => {
    await expectSameAsOrt({ op: 'Pad', opset: 13, inputs: [i64([2, 3], [1, 2, 3, 4, 5, 6]), i64([4], [1, 2, 1, 2])], attributes: [attr.string('mode', 'reflect')] });
  });

  it('Pad opset 2 with attributes', async () => {
    await expectSameAsOrt({ op: 'Pad', opset: 2, inputs: [x], attributes: [attr.ints('pads', [0, 1, 0, 1, 0, 2]), attr.float('value', -2)] });
  });

  it('Tile bool data', async () => {
    await expectSameAsOrt({ op: 'Tile', inputs: [tensor(DType.BOOL, [2, 2], [1, 0, 0, 1]), i64([2], [3, 2])] });
  });

  it('Split into uneven parts with num_outputs (opset 18)', async () => {
    await expectSameAsOrt({ op: 'Split', opset: 18, inputs: [f32([7, 2], pseudoRandom(14))], attributes: [attr.int('num_outputs', 3)], outputs: 3 });
  });

  it('Split with a sizes input on a negative axis', async () => {
    await expectSameAsOrt({ op: 'Split', opset: 13, inputs: [x, i64([3], [1, 0, 3])], attributes: [attr.int('axis', -1)], outputs: 3 });
  });

  for (const mode of ['DCR', 'CRD']) {
    it(`DepthToSpace ${mode} then SpaceToDepth`, async () => {
      const y = f32([2, 8, 2, 3], pseudoRandom(96));
      await expectSameAsOrt({ op: 'DepthToSpace', inputs: [y], attributes: [attr.int('blocksize', 2), attr.string('mode', mode)] });
      await expectSameAsOrt({ op: 'SpaceToDepth', inputs: [f32([1, 2, 4, 6], pseudoRandom(48))], attributes: [attr.int('blocksize', 2)] });
    });
  }

  it('Compress without an axis and with a short condition', async () => {
    await expectSameAsOrt({ op: 'Compress', inputs: [x, tensor(DType.BOOL, [5], [0, 1, 1, 0, 1])] });
    await expectSameAsOrt({ op: 'Compress', inputs: [x, tensor(DType.BOOL, [2], [0, 1])], attributes: [attr.int('axis', 1)] });
  });

  it('OneHot with float depth, int32 values and a middle axis', async () => {
    await expectSameAsOrt({ op: 'OneHot', inputs: [i64([2, 3], [0, 4, -1, 2, 7, -5]), f32([], [5]), tensor(DType.INT32, [2], [-3, 9])], attributes: [attr.int('axis', 1)] });
  });

  it('Trilu lower with k=-1 on a batch of int32 matrices', async () => {
    await expectSameAsOrt({ op: 'Trilu', inputs: [tensor(DType.INT32, [2, 3, 4], Array.from({ length: 24 }, (_, i) => i)), i64([], [-1])], attributes: [attr.int('upper', 0)] });
  });

  it('EyeLike with k=-1 and an int32 dtype', async () => {
    await expectSameAsOrt({ op: 'EyeLike', inputs: [f32([3, 5], pseudoRandom(15))], attributes: [attr.int('k', -1), attr.int('dtype', DType.INT32)] });
  });

  it('ReverseSequence with batch_axis=0', async () => {
    await expectSameAsOrt({ op: 'ReverseSequence', inputs: [x, i64([2], [3, 1])], attributes: [attr.int('batch_axis', 0), attr.int('time_axis', 1)] });
  });

  it('NonZero on a 3-D int32 tensor', async () => {
    await expectSameAsOrt({ op: 'NonZero', inputs: [tensor(DType.INT32, [2, 2, 3], [0, 1, 0, 2, 0, 0, 0, 0, 3, 4, 0, 5])] });
  });

  it('Det of a batch of 3x3 and singular matrices', async () => {
    await expectSameAsOrt({ op: 'Det', inputs: [f32([2, 3, 3], [...pseudoRandom(9), 1, 2, 3, 2, 4, 6, 0, 1, 5])] });
  });
});
