import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, tensor } from './op-check.js';

const tolerance = { rtol: 1e-4, atol: 1e-4 };

describe('signal ops against onnxruntime', () => {
  for (const [length, label] of [[8, 'power-of-two (FFT)'], [6, 'other (direct sum)']] as const) {
    it(`DFT of a complex signal along axis 1, ${label} length, forward and inverse`, async () => {
      const x = f32([2, length, 3, 2], pseudoRandom(2 * length * 6));
      await expectSameAsOrt({ op: 'DFT', opset: 17, inputs: [x], attributes: [attr.int('axis', 1)] }, tolerance);
      await expectSameAsOrt({ op: 'DFT', opset: 17, inputs: [x], attributes: [attr.int('axis', 1), attr.int('inverse', 1)] }, tolerance);
    });
  }

  it('DFT one-sided of a real signal, zero-padded by dft_length', async () => {
    await expectSameAsOrt({ op: 'DFT', opset: 17, inputs: [f32([3, 5, 1], pseudoRandom(15)), i64([], [7])], attributes: [attr.int('onesided', 1)] }, tolerance);
  });

  it('DFT truncated by dft_length with the axis as an input (opset 20)', async () => {
    await expectSameAsOrt({ op: 'DFT', opset: 20, inputs: [f32([2, 9, 4, 1], pseudoRandom(72)), i64([], [4]), i64([], [1])] }, tolerance);
  });

  it('STFT with a Hann window, real signal of two batches', async () => {
    const window = f32([8], Array.from({ length: 8 }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / 8)));
    await expectSameAsOrt({ op: 'STFT', inputs: [f32([2, 30, 1], pseudoRandom(60)), i64([], [5]), window] }, tolerance);
  });

  it('STFT two-sided of a complex signal with frame_length only', async () => {
    await expectSameAsOrt({ op: 'STFT', inputs: [f32([1, 20, 2], pseudoRandom(40)), i64([], [4]), null, i64([], [6])], attributes: [attr.int('onesided', 0)] }, tolerance);
  });

  for (const op of ['HannWindow', 'HammingWindow', 'BlackmanWindow']) {
    for (const periodic of [0, 1]) {
      it(`${op} periodic=${periodic} as float64`, async () => {
        await expectSameAsOrt({ op, inputs: [tensor(DType.INT64, [], [11])], attributes: [attr.int('periodic', periodic), attr.int('output_datatype', DType.DOUBLE)] }, tolerance);
      });
    }
  }

  it('MelWeightMatrix with non-zero lower edge', async () => {
    const inputs = [tensor(DType.INT32, [], [10]), tensor(DType.INT32, [], [64]), tensor(DType.INT32, [], [16000]), f32([], [100]), f32([], [7000])];
    await expectSameAsOrt({ op: 'MelWeightMatrix', inputs });
  });
});
