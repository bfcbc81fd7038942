/** Ops from opsets after ONNX 1.12 (so absent from the node suite), against onnxruntime. */
import { describe, expect, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, runCpuTensors, tensor } from './op-check.js';

const strings = (dims: number[], values: string[]): Tensor => new Tensor(DType.STRING, dims, values);

describe('opset 18-20 ops', () => {
  for (const [dtype, name] of [[DType.UINT8, 'uint8'], [DType.INT32, 'int32'], [DType.INT64, 'int64'], [DType.UINT64, 'uint64']] as const) {
    it(`BitwiseAnd/Or/Xor/Not on ${name} with broadcasting`, async () => {
      const a = tensor(dtype, [2, 3], [0, 1, 6, 200, 255, 17]);
      const b = tensor(dtype, [3], [3, 12, 255]);
      for (const op of ['BitwiseAnd', 'BitwiseOr', 'BitwiseXor']) await expectSameAsOrt({ op, opset: 18, inputs: [a, b] });
      await expectSameAsOrt({ op: 'BitwiseNot', opset: 18, inputs: [a] });
    });
  }

  it('BitwiseNot on negative int8', async () => {
    await expectSameAsOrt({ op: 'BitwiseNot', opset: 18, inputs: [tensor(DType.INT8, [4], [-128, -1, 0, 127])] });
  });

  for (const approximate of ['none', 'tanh']) {
    it(`Gelu approximate=${approximate}`, async () => {
      await expectSameAsOrt({ op: 'Gelu', opset: 20, inputs: [f32([3, 7], pseudoRandom(21).map((v) => v * 5))], attributes: [attr.string('approximate', approximate)] }, { rtol: 1e-5, atol: 1e-6 });
    });
  }

  it('CenterCropPad crops one axis and pads another, odd surplus', async () => {
    await expectSameAsOrt({ op: 'CenterCropPad', opset: 18, inputs: [f32([5, 4, 3], pseudoRandom(60)), i64([2], [2, 7])], attributes: [attr.ints('axes', [0, 1])] });
    await expectSameAsOrt({ op: 'CenterCropPad', opset: 18, inputs: [tensor(DType.INT64, [3, 6], Array.from({ length: 18 }, (_, i) => i)), i64([2], [6, 3])] });
  });

  it('StringConcat broadcasts', async () => {
    await expectSameAsOrt({ op: 'StringConcat', opset: 20, inputs: [strings([2, 2], ['a', 'bc', '', 'ü']), strings([2], ['-x', '!'])] });
  });

  it('StringSplit at a delimiter with maxsplit', async () => {
    await expectSameAsOrt({ op: 'StringSplit', opset: 20, inputs: [strings([3], ['a,b,,c', 'one', ',lead,trail,'])], attributes: [attr.string('delimiter', ','), attr.int('maxsplit', 2)], outputs: 2 });
  });

  it('StringSplit on whitespace, as Python str.split', async () => {
    const [y, z] = await runCpuTensors({ op: 'StringSplit', opset: 20, inputs: [strings([2, 2], ['  a  b c ', '', 'one', '\tx\ny '])], outputs: 2 });
    expect(y.dims).toEqual([2, 2, 3]);
    expect(y.stringData()).toEqual(['a', 'b', 'c', '', '', '', 'one', '', '', 'x', 'y', '']);
    expect(z.toNumbers()).toEqual([3, 0, 1, 2]);
    const [limited] = await runCpuTensors({ op: 'StringSplit', opset: 20, inputs: [strings([1], ['  a  b c '])], attributes: [attr.int('maxsplit', 1)], outputs: 2 });
    // Python: '  a  b c '.split(None, 1) == ['a', 'b c ']
    expect(limited.stringData()).toEqual(['a', 'b c ']);
  });

  for (const align of [0, 1]) {
    it(`AffineGrid 2-D and 3-D, align_corners=${align}`, async () => {
      await expectSameAsOrt({ op: 'AffineGrid', opset: 20, inputs: [f32([2, 2, 3], pseudoRandom(12)), i64([4], [2, 3, 4, 5])], attributes: [attr.int('align_corners', align)] });
      await expectSameAsOrt({ op: 'AffineGrid', opset: 20, inputs: [f32([1, 3, 4], pseudoRandom(12, 2)), i64([5], [1, 1, 2, 3, 4])], attributes: [attr.int('align_corners', align)] });
    });
  }
});
