import { describe, expect, it } from 'vitest';
import { convShape } from '../../../backends/cpu-js/conv/conv-node.js';
import { SpaceToDepthConv } from '../../../backends/cpu-js/conv/space-to-depth.js';
import { chooseLayout, WinogradConv, WinogradLayout } from '../../../backends/cpu-js/conv/winograd.js';
import { F2x2, F4x4, F5x5 } from '../../../backends/cpu-js/conv/winograd-transforms.js';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { compareTensors } from '../../helpers/diff.js';
import { runOrtCase } from './constant-inputs.js';
import { attr, f32, opModel, OpCase, pseudoRandom } from './op-check.js';

function conv3x3(x: number[], outChannels: number, pads: number[]): OpCase {
  const w = [outChannels, x[1], 3, 3];
  const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
  return { op: 'Conv', inputs: [f32(x, pseudoRandom(size(x), 3)), f32(w, pseudoRandom(size(w), 4)), f32([outChannels], pseudoRandom(outChannels, 5))], attributes: [attr.ints('pads', pads)] };
}

/** The convolution computed by WinogradConv with a layout forced, whatever the cost model would pick. */
function runWith(c: OpCase, layout: WinogradLayout): Tensor {
  const node = opModel(c).graph.nodes[0];
  const [x, w, b] = c.inputs as Tensor[];
  const shape = convShape(node, x.dims, w.dims);
  const winograd = new WinogradConv(shape, { panels: Float32Array, family: 'f32', lo: -Infinity, hi: Infinity }, w.data as Float32Array, layout);
  const [, OH, OW] = shape.geom.outSize;
  const y = new Float32Array(shape.batch * shape.outChannels * OH * OW);
  winograd.run(x.data as Float32Array, Float64Array.from(b.data as Float32Array), y);
  return new Tensor(DType.FLOAT, [shape.batch, shape.outChannels, OH, OW], y);
}

const layouts: [string, WinogradLayout][] = [
  ['F(4×4), channels × tiles', { variant: F4x4, transposed: false }],
  ['F(4×4), tiles × channels', { variant: F4x4, transposed: true }],
  ['F(2×2), channels × tiles', { variant: F2x2, transposed: false }],
  ['F(2×2), tiles × channels', { variant: F2x2, transposed: true }],
  ['F(5×5), channels × tiles', { variant: F5x5, transposed: false }],
  ['F(5×5), tiles × channels', { variant: F5x5, transposed: true }],
];

describe('Winograd layouts against onnxruntime', () => {
  // Partial tiles, a batch, asymmetric pads, channel counts that leave partial row and column panels.
  const c = conv3x3([2, 13, 11, 9], 21, [0, 1, 2, 0]);
  for (const [name, layout] of layouts) {
    it(name, async () => {
      const [reference] = await runOrtCase(c);
      expect(compareTensors(reference, runWith(c, layout))).toBeUndefined();
    });
  }
});

describe('Winograd layout choice', () => {
  const shapeOf = (x: number[], outChannels: number) => {
    const c = conv3x3(x, outChannels, [1, 1, 1, 1]);
    return convShape(opModel(c).graph.nodes[0], (c.inputs[0] as Tensor).dims, (c.inputs[1] as Tensor).dims);
  };
  it('tiles that leave a partial column panel, output channels that would too: F(4×4), channels as rows', () => {
    expect(chooseLayout(shapeOf([1, 64, 56, 56], 60))).toEqual({ variant: F4x4, transposed: false });
  });
  it('a 7×7 image and many channels (ResNet layer 4): F(4×4) with tiles as rows', () => {
    expect(chooseLayout(shapeOf([1, 32, 7, 7], 512))).toEqual({ variant: F4x4, transposed: true });
  });
  it('a 14×14 image (ResNet layer 3): F(5×5), whose tiles pad 14 to 15 where F(4×4) pads it to 16', () => {
    expect(chooseLayout(shapeOf([1, 32, 14, 14], 256))).toEqual({ variant: F5x5, transposed: true });
  });
  it('56×56 and 28×28 (ResNet layers 1 and 2): F(4×4), as cheap as F(5×5) there and with cheaper transforms', () => {
    expect(chooseLayout(shapeOf([1, 64, 56, 56], 64)).variant).toBe(F4x4);
    expect(chooseLayout(shapeOf([1, 32, 28, 28], 128)).variant).toBe(F4x4);
  });
});

describe('7×7 stride-2 convolution by space-to-depth and F(3×3, 4×4) against onnxruntime', () => {
  const stem = (x: number[], outChannels: number, pads: number[]): OpCase => {
    const w = [outChannels, x[1], 7, 7];
    const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
    return { op: 'Conv', inputs: [f32(x, pseudoRandom(size(x), 6)), f32(w, pseudoRandom(size(w), 7)), f32([outChannels], pseudoRandom(outChannels, 8))], attributes: [attr.ints('pads', pads), attr.ints('strides', [2, 2])] };
  };
  const cases: [string, OpCase][] = [
    ['ResNet stem padding 3, odd input sizes, batch 2', stem([2, 3, 23, 21], 16, [3, 3, 3, 3])],
    ['asymmetric and even padding', stem([1, 5, 18, 20], 12, [2, 1, 0, 3])],
  ];
  for (const [name, c] of cases) {
    it(name, async () => {
      const [reference] = await runOrtCase(c);
      const node = opModel(c).graph.nodes[0];
      const [x, w, b] = c.inputs as Tensor[];
      const shape = convShape(node, x.dims, w.dims);
      const conv = new SpaceToDepthConv(shape, { panels: Float32Array, family: 'f32', lo: -Infinity, hi: Infinity }, w.data as Float32Array);
      const y = new Float32Array(reference.size);
      conv.run(x.data as Float32Array, Float64Array.from(b.data as Float32Array), y);
      expect(compareTensors(reference, new Tensor(DType.FLOAT, [...reference.dims], y))).toBeUndefined();
    });
  }
});
