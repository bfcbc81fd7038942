import { describe, it } from 'vitest';
import { attr, expectSameAsOrt, f32, OpCase, pseudoRandom } from './op-check.js';

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const rand = (dims: number[], seed = 1, scale = 1, shift = 0) => f32(dims, pseudoRandom(size(dims), seed).map((v) => v * scale + shift));

describe('BatchNormalization against onnxruntime', () => {
  const params = (c: number) => [rand([c], 2), rand([c], 3), rand([c], 4), rand([c], 5, 0.5, 1)];
  it('inference, 4-D', async () => expectSameAsOrt({ op: 'BatchNormalization', inputs: [rand([2, 3, 4, 5]), ...params(3)], attributes: [attr.float('epsilon', 1e-3)] }));
  it('inference, 2-D and 5-D', async () => {
    await expectSameAsOrt({ op: 'BatchNormalization', inputs: [rand([4, 6]), ...params(6)] });
    await expectSameAsOrt({ op: 'BatchNormalization', inputs: [rand([1, 2, 3, 2, 4]), ...params(2)] });
  });
  it('opset 9', async () => expectSameAsOrt({ op: 'BatchNormalization', opset: 9, inputs: [rand([2, 3, 4]), ...params(3)] }));
});

describe('InstanceNormalization, LayerNormalization, GroupNormalization against onnxruntime', () => {
  it('InstanceNormalization 3-D and 4-D', async () => {
    await expectSameAsOrt({ op: 'InstanceNormalization', inputs: [rand([2, 3, 7]), rand([3], 2), rand([3], 3)], attributes: [attr.float('epsilon', 1e-2)] });
    await expectSameAsOrt({ op: 'InstanceNormalization', inputs: [rand([2, 3, 4, 5]), rand([3], 2), rand([3], 3)] });
  });
  const layerNorm: [string, OpCase][] = [
    ['last axis with Mean and InvStdDev', { op: 'LayerNormalization', inputs: [rand([2, 3, 8]), rand([8], 2), rand([8], 3)], outputs: 3 }],
    ['axis 1 without bias', { op: 'LayerNormalization', inputs: [rand([2, 3, 4]), rand([3, 4], 2)], attributes: [attr.int('axis', 1)] }],
    ['Scale broadcast over the leading normalized axis', { op: 'LayerNormalization', inputs: [rand([2, 3, 4]), rand([4], 2), rand([1, 4], 3)], attributes: [attr.int('axis', -2), attr.float('epsilon', 1e-3)], outputs: 3 }],
  ];
  for (const [name, c] of layerNorm) it(`LayerNormalization ${name}`, async () => expectSameAsOrt(c));
  it('GroupNormalization opset 18 (scale per group)', async () =>
    expectSameAsOrt({ op: 'GroupNormalization', opset: 18, inputs: [rand([2, 6, 3, 2]), rand([3], 2), rand([3], 3)], attributes: [attr.int('num_groups', 3)] }));
  it('GroupNormalization opset 21 (scale per channel)', async () =>
    expectSameAsOrt({ op: 'GroupNormalization', opset: 21, inputs: [rand([2, 6, 5]), rand([6], 2), rand([6], 3)], attributes: [attr.int('num_groups', 2), attr.float('epsilon', 1e-3)] }));
});

describe('LRN and MeanVarianceNormalization against onnxruntime', () => {
  for (const s of [3, 5]) it(`LRN size ${s}`, async () => expectSameAsOrt({ op: 'LRN', inputs: [rand([2, 7, 3, 3])], attributes: [attr.int('size', s), attr.float('alpha', 0.02), attr.float('beta', 0.6), attr.float('bias', 2)] }));
  it('MeanVarianceNormalization default axes', async () => expectSameAsOrt({ op: 'MeanVarianceNormalization', inputs: [rand([2, 3, 4, 5])] }));
  it('MeanVarianceNormalization axes [1, 3]', async () => expectSameAsOrt({ op: 'MeanVarianceNormalization', inputs: [rand([2, 3, 4, 5])], attributes: [attr.ints('axes', [1, 3])] }));
});
