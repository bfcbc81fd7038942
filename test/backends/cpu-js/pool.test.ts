import { describe, expect, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, i64, OpCase, pseudoRandom, runCpuTensors, tensor } from './op-check.js';

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const rand = (dims: number[], seed = 1) => f32(dims, pseudoRandom(size(dims), seed));
const k = (...v: number[]) => attr.ints('kernel_shape', v);

describe('MaxPool against onnxruntime', () => {
  const cases: [string, OpCase][] = [
    ['2-D with indices, pads, strides', { op: 'MaxPool', inputs: [rand([2, 3, 7, 8])], attributes: [k(3, 2), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 0, 1, 1])], outputs: 2 }],
    ['indices in column-major storage order', { op: 'MaxPool', inputs: [rand([1, 2, 5, 6])], attributes: [k(2, 2), attr.int('storage_order', 1)], outputs: 2 }],
    ['dilations and ceil_mode', { op: 'MaxPool', inputs: [rand([1, 2, 9, 10])], attributes: [k(3, 3), attr.ints('dilations', [2, 2]), attr.ints('strides', [2, 3]), attr.int('ceil_mode', 1)], outputs: 2 }],
    ['3-D with indices', { op: 'MaxPool', inputs: [rand([1, 2, 4, 5, 6])], attributes: [k(2, 3, 2), attr.ints('strides', [2, 1, 2])], outputs: 2 }],
    ['1-D SAME_LOWER', { op: 'MaxPool', inputs: [rand([1, 3, 11])], attributes: [k(4), attr.ints('strides', [3]), attr.string('auto_pad', 'SAME_LOWER')] }],
    ['int8', { op: 'MaxPool', inputs: [tensor(DType.INT8, [1, 1, 4, 4], pseudoRandom(16).map((v) => Math.round(v * 100)))], attributes: [k(2, 2)] }],
  ];
  for (const [name, c] of cases) it(name, async () => expectSameAsOrt(c));
});

describe('AveragePool against onnxruntime', () => {
  const cases: [string, OpCase][] = [
    ['pads without count_include_pad', { op: 'AveragePool', inputs: [rand([1, 3, 6, 7])], attributes: [k(3, 3), attr.ints('pads', [1, 2, 1, 0])] }],
    ['pads with count_include_pad', { op: 'AveragePool', inputs: [rand([1, 3, 6, 7])], attributes: [k(3, 3), attr.ints('pads', [1, 2, 1, 0]), attr.int('count_include_pad', 1)] }],
    ['ceil_mode, strides, count_include_pad', { op: 'AveragePool', inputs: [rand([1, 2, 7, 7])], attributes: [k(3, 2), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1]), attr.int('ceil_mode', 1), attr.int('count_include_pad', 1)] }],
    ['ceil_mode without count_include_pad', { op: 'AveragePool', inputs: [rand([1, 2, 8, 7])], attributes: [k(3, 3), attr.ints('strides', [2, 2]), attr.int('ceil_mode', 1)] }],
    ['3-D SAME_UPPER', { op: 'AveragePool', inputs: [rand([1, 2, 5, 4, 6])], attributes: [k(2, 3, 3), attr.ints('strides', [2, 2, 2]), attr.string('auto_pad', 'SAME_UPPER')] }],
    ['1-D', { op: 'AveragePool', inputs: [rand([2, 2, 9])], attributes: [k(3)] }],
    ['dilations (opset 19)', { op: 'AveragePool', opset: 19, inputs: [rand([1, 2, 9, 9])], attributes: [k(3, 3), attr.ints('dilations', [2, 1]), attr.ints('pads', [1, 1, 1, 1])] }],
  ];
  for (const [name, c] of cases) it(name, async () => expectSameAsOrt(c));
});

describe('LpPool and global pools against onnxruntime', () => {
  for (const p of [1, 2, 3]) it(`LpPool p=${p}`, async () => expectSameAsOrt({ op: 'LpPool', opset: 18, inputs: [rand([1, 2, 6, 6])], attributes: [k(2, 3), attr.int('p', p), attr.ints('strides', [2, 1]), attr.ints('pads', [0, 1, 1, 0])] }));
  for (const op of ['GlobalAveragePool', 'GlobalMaxPool']) it(`${op} 3-D`, async () => expectSameAsOrt({ op, inputs: [rand([2, 3, 4, 5, 2])] }));
  it('GlobalLpPool p=3', async () => expectSameAsOrt({ op: 'GlobalLpPool', inputs: [rand([2, 3, 4, 5])], attributes: [attr.int('p', 3)] }));
});

describe('MaxUnpool', () => {
  it('inverts MaxPool (onnxruntime as reference)', async () => {
    const x = f32([1, 1, 2, 2], [5, 6, 7, 8]);
    const indices = i64([1, 1, 2, 2], [0, 3, 9, 14]);
    await expectSameAsOrt({ op: 'MaxUnpool', inputs: [x, indices], attributes: [k(2, 2), attr.ints('strides', [2, 2])] });
  });

  it('keeps coordinates when output_shape pads the output (the ONNX reference semantics)', async () => {
    const x = f32([1, 1, 2, 2], [5, 6, 7, 8]);
    const indices = i64([1, 1, 2, 2], [5, 7, 13, 15]);
    const [y] = await runCpuTensors({ op: 'MaxUnpool', inputs: [x, indices, i64([4], [1, 1, 5, 5])], attributes: [k(2, 2), attr.ints('strides', [2, 2])] });
    const expected = new Array(25).fill(0);
    expected[1 * 5 + 1] = 5;
    expected[1 * 5 + 3] = 6;
    expected[3 * 5 + 1] = 7;
    expected[3 * 5 + 3] = 8;
    expect([...(y.data as Float32Array)]).toEqual(expected);
  });
});

describe('RoI pooling against onnxruntime', () => {
  const x = rand([2, 3, 10, 12], 7);
  it('MaxRoiPool', async () =>
    expectSameAsOrt({ op: 'MaxRoiPool', inputs: [x, f32([3, 5], [0, 1, 1, 8, 6, 1, 0, 0, 11, 9, 1, 3.5, 2.2, 6.1, 4.9])], attributes: [attr.ints('pooled_shape', [3, 2]), attr.float('spatial_scale', 1)] }));
  it('MaxRoiPool with spatial_scale 0.5', async () =>
    expectSameAsOrt({ op: 'MaxRoiPool', inputs: [x, f32([2, 5], [0, 2, 2, 16, 12, 1, 1, 3, 21, 19])], attributes: [attr.ints('pooled_shape', [2, 3]), attr.float('spatial_scale', 0.5)] }));
  const rois = f32([3, 4], [0.5, 1.2, 7.3, 8.8, 2, 2, 4, 3, -1, 0.5, 13, 11]);
  const batches = i64([3], [0, 1, 1]);
  for (const mode of ['avg', 'max']) {
    for (const ctm of ['half_pixel', 'output_half_pixel']) {
      it(`RoiAlign ${mode} ${ctm}`, async () =>
        expectSameAsOrt({
          op: 'RoiAlign',
          opset: 16,
          inputs: [x, rois, batches],
          attributes: [attr.string('mode', mode), attr.string('coordinate_transformation_mode', ctm), attr.int('output_height', 3), attr.int('output_width', 4), attr.float('spatial_scale', 0.8)],
        }));
    }
  }
  it('RoiAlign with sampling_ratio 2', async () =>
    expectSameAsOrt({ op: 'RoiAlign', opset: 16, inputs: [x, rois, batches], attributes: [attr.int('sampling_ratio', 2), attr.int('output_height', 2), attr.int('output_width', 2)] }));
});
