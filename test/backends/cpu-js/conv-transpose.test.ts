import { describe, it } from 'vitest';
import { expectSameAsOrtWithConstants } from './constant-inputs.js';
import { attr, expectSameAsOrt, f32, OpCase, pseudoRandom } from './op-check.js';

function convTranspose(x: number[], w: number[], attributes: OpCase['attributes'] = [], bias = true): OpCase {
  const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
  const group = (attributes.find((a) => a.name === 'group')?.value as number | undefined) ?? 1;
  const inputs = [f32(x, pseudoRandom(size(x), 3)), f32(w, pseudoRandom(size(w), 4))];
  if (bias) inputs.push(f32([w[1] * group], pseudoRandom(w[1] * group, 5)));
  return { op: 'ConvTranspose', inputs, attributes };
}

const cases: [string, OpCase][] = [
  ['2-D, stride 2, pads, output_padding', convTranspose([1, 3, 4, 5], [3, 2, 3, 3], [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 0, 1, 1]), attr.ints('output_padding', [1, 0])])],
  ['groups 2 and dilations 2', convTranspose([2, 4, 3, 4], [4, 3, 2, 3], [attr.int('group', 2), attr.ints('dilations', [2, 2])])],
  ['output_shape with an odd total pad', convTranspose([1, 2, 3, 3], [2, 2, 3, 3], [attr.ints('strides', [2, 2]), attr.ints('output_shape', [6, 8])])],
  ['auto_pad SAME_UPPER', convTranspose([1, 2, 3, 4], [2, 3, 4, 3], [attr.string('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 3])])],
  ['auto_pad SAME_LOWER', convTranspose([1, 2, 3, 4], [2, 3, 4, 3], [attr.string('auto_pad', 'SAME_LOWER'), attr.ints('strides', [2, 3])])],
  ['1-D, stride 3', convTranspose([1, 3, 7], [3, 2, 4], [attr.ints('strides', [3])])],
  ['3-D without bias', convTranspose([1, 2, 3, 3, 2], [2, 2, 2, 3, 2], [attr.ints('strides', [2, 1, 2])], false)],
];

describe('ConvTranspose against onnxruntime', () => {
  for (const [name, c] of cases) {
    it(`${name}, weights as inputs`, async () => expectSameAsOrt(c));
    it(`${name}, constant weights`, async () => expectSameAsOrtWithConstants(c, [1]));
  }
});
