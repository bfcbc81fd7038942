import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, pseudoRandom, tensor } from './op-check.js';

const bytes = (n: number, seed: number, signed: boolean): number[] => pseudoRandom(n, seed).map((v) => Math.floor((v + 1) * 128) - (signed ? 128 : 0));

describe('QLinear ops against onnxruntime', () => {
  for (const signed of [false, true]) {
    const q = signed ? DType.INT8 : DType.UINT8;
    const name = signed ? 'int8' : 'uint8';

    it(`QLinearMatMul ${name}, batched A, per-column b scale`, async () => {
      await expectSameAsOrt({
        op: 'QLinearMatMul',
        inputs: [
          tensor(q, [2, 3, 5], bytes(30, 1, signed)),
          f32([], [0.05]),
          tensor(q, [], [signed ? -3 : 120]),
          tensor(q, [5, 4], bytes(20, 2, signed)),
          f32([4], [0.02, 0.03, 0.01, 0.04]),
          tensor(q, [4], signed ? [0, 1, -2, 3] : [128, 127, 130, 125]),
          f32([], [0.3]),
          tensor(q, [], [signed ? 5 : 100]),
        ],
      });
    });

    it(`QLinearConv ${name}, padded and strided, per-channel weights and bias`, async () => {
      await expectSameAsOrt({
        op: 'QLinearConv',
        inputs: [
          tensor(q, [1, 2, 5, 6], bytes(60, 3, signed)),
          f32([], [0.04]),
          tensor(q, [], [signed ? 2 : 130]),
          tensor(q, [3, 2, 3, 3], bytes(54, 4, signed)),
          f32([3], [0.01, 0.02, 0.015]),
          tensor(q, [3], [0, 0, 0]),
          f32([], [0.5]),
          tensor(q, [], [signed ? -10 : 90]),
          tensor(DType.INT32, [3], [100, -2000, 37]),
        ],
        attributes: [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 1])],
      });
    });
  }
});
