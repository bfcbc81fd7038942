import { describe, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { attr, expectSameAsOrt, f32, pseudoRandom, tensor } from './op-check.js';

// Values that land on .5 after scaling exercise round-half-to-even.
const x = f32([2, 3, 4], [...pseudoRandom(20).map((v) => v * 300), 0.5, 1.5, 2.5, -2.5]);

describe('quantization against onnxruntime', () => {
  for (const dtype of [DType.UINT8, DType.INT8]) {
    it(`QuantizeLinear per tensor and per axis to ${dtype === DType.UINT8 ? 'uint8' : 'int8'}, saturating`, async () => {
      await expectSameAsOrt({ op: 'QuantizeLinear', inputs: [x, f32([], [0.5]), tensor(dtype, [], [3])] });
      await expectSameAsOrt({ op: 'QuantizeLinear', inputs: [x, f32([3], [0.5, 1, 2]), tensor(dtype, [3], [1, 0, 10])], attributes: [attr.int('axis', 1)] });
    });

    it(`DequantizeLinear per axis from ${dtype === DType.UINT8 ? 'uint8' : 'int8'}`, async () => {
      const q = tensor(dtype, [2, 4], dtype === DType.UINT8 ? [0, 255, 7, 128, 3, 4, 200, 1] : [-128, 127, 7, -5, 3, 4, -100, 1]);
      await expectSameAsOrt({ op: 'DequantizeLinear', inputs: [q, f32([4], [0.1, 0.2, 0.3, 0.4]), tensor(dtype, [4], [1, 2, 3, 4])], attributes: [attr.int('axis', -1)] });
    });
  }

  it('QuantizeLinear without a zero point gives uint8', async () => {
    await expectSameAsOrt({ op: 'QuantizeLinear', inputs: [x, f32([], [2])] });
  });

  it('DequantizeLinear from int32 with a float16 scale (opset 19)', async () => {
    const scale = new Tensor(DType.FLOAT16, [], new Uint16Array([0x3400]));
    await expectSameAsOrt({ op: 'DequantizeLinear', opset: 19, inputs: [tensor(DType.INT32, [3], [-70000, 5, 123456]), scale] });
  });

  it('DynamicQuantizeLinear on mixed-sign data', async () => {
    await expectSameAsOrt({ op: 'DynamicQuantizeLinear', inputs: [f32([4, 5], pseudoRandom(20, 3).map((v) => v * 7))], outputs: 3 });
  });
});
