import { describe, expect, it } from 'vitest';
import { convShape } from '../../../backends/cpu-js/conv/conv-node.js';
import { chooseLayout, WinogradConv, WinogradLayout, winogradApplies } from '../../../backends/cpu-js/conv/winograd.js';
import { F2x2Stride2, F3x3Stride2, F4x4Stride2 } from '../../../backends/cpu-js/conv/winograd-stride2.js';
import type { WinogradVariant } from '../../../backends/cpu-js/conv/winograd-transforms.js';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { compareTensors } from '../../helpers/diff.js';
import { expectSameAsOrtWithConstants, runOrtCase } from './constant-inputs.js';
import { attr, f32, opModel, OpCase, pseudoRandom } from './op-check.js';

const variants: WinogradVariant[] = [F4x4Stride2, F3x3Stride2, F2x2Stride2];

/** One tile through the variant's transforms: Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, with Bᵀ d B read by `inputFrom` from a wider image when `wide`. */
function tileByTransforms(v: WinogradVariant, g: number[], d: number[], wide: boolean): Float64Array {
  const positions = v.tile * v.tile;
  const u = new Float64Array(positions);
  v.filter(g, 0, u);
  const scratch = new Float64Array(positions);
  const transformed = Float64Array.from(d);
  if (wide) {
    // The patch at row 2, column 3 of a 20-wide image; positions written 3 apart from index 1.
    const W = 20;
    const image = new Float64Array(W * (v.tile + 2));
    for (let i = 0; i < v.tile; i++) for (let j = 0; j < v.tile; j++) image[(i + 2) * W + 3 + j] = d[i * v.tile + j];
    const spread = new Float64Array(1 + 3 * positions);
    v.inputFrom!(image, 2 * W + 3, W, scratch, spread, 1, 3);
    for (let xi = 0; xi < positions; xi++) transformed[xi] = spread[1 + 3 * xi];
  } else {
    v.input(transformed, scratch);
  }
  const products = u.map((value, xi) => value * transformed[xi]);
  const y = new Float64Array(v.out * v.out);
  v.output(products, 0, 1, y, scratch);
  return y;
}

describe('stride-2 Winograd transforms against a direct correlation (doubles)', () => {
  for (const v of variants) {
    for (const wide of [false, true]) {
      it(`${v.name}${wide ? ', input read from the image' : ''}`, () => {
        const g = pseudoRandom(9, 11);
        const d = pseudoRandom(v.tile * v.tile, 12);
        const y = tileByTransforms(v, g, d, wide);
        for (let i = 0; i < v.out; i++) {
          for (let j = 0; j < v.out; j++) {
            let direct = 0;
            for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) direct += g[a * 3 + b] * d[(2 * i + a) * v.tile + 2 * j + b];
            expect(y[i * v.out + j]).toBeCloseTo(direct, 12);
          }
        }
      });
    }
  }
});

function conv3x3(x: number[], outChannels: number, pads: number[], stride = 2): OpCase {
  const w = [outChannels, x[1], 3, 3];
  const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
  return {
    op: 'Conv',
    inputs: [f32(x, pseudoRandom(size(x), 13)), f32(w, pseudoRandom(size(w), 14)), f32([outChannels], pseudoRandom(outChannels, 15))],
    attributes: [attr.ints('pads', pads), attr.ints('strides', [stride, stride])],
  };
}

const shapeOf = (c: OpCase) => convShape(opModel(c).graph.nodes[0], (c.inputs[0] as Tensor).dims, (c.inputs[1] as Tensor).dims);

/** The convolution computed by WinogradConv with a layout forced, whatever the cost model would pick. */
function runWith(c: OpCase, layout: WinogradLayout): Tensor {
  const [x, w, b] = c.inputs as Tensor[];
  const shape = shapeOf(c);
  const winograd = new WinogradConv(shape, { panels: Float32Array, family: 'f32', lo: -Infinity, hi: Infinity }, w.data as Float32Array, layout);
  const [, OH, OW] = shape.geom.outSize;
  const y = new Float32Array(shape.batch * shape.outChannels * OH * OW);
  winograd.run(x.data as Float32Array, Float64Array.from(b.data as Float32Array), y);
  return new Tensor(DType.FLOAT, [shape.batch, shape.outChannels, OH, OW], y);
}

describe('stride-2 Winograd layouts against onnxruntime', () => {
  // Odd and even sizes, partial tiles, a batch, asymmetric pads, channel counts that leave partial row and column panels.
  const cases: [string, OpCase][] = [
    ['odd sizes, batch 2, asymmetric pads', conv3x3([2, 13, 19, 17], 21, [0, 1, 2, 0])],
    ['even sizes, ResNet padding', conv3x3([1, 9, 16, 22], 10, [1, 1, 1, 1])],
  ];
  for (const [caseName, c] of cases) {
    for (const variant of variants) {
      for (const transposed of [false, true]) {
        it(`${caseName}: ${variant.name}, ${transposed ? 'tiles × channels' : 'channels × tiles'}`, async () => {
          const [reference] = await runOrtCase(c);
          expect(compareTensors(reference, runWith(c, { variant, transposed }))).toBeUndefined();
        });
      }
    }
  }
});

describe('stride-2 Winograd layout choice', () => {
  const resnet = (channels: number, size: number) => shapeOf(conv3x3([1, channels, size, size], 2 * channels, [1, 1, 1, 1]));
  it("ResNet-18's layer2.0.conv1 (64 → 128, 56×56 → 28×28): F(4×4), tiles as rows", () => {
    expect(winogradApplies(resnet(64, 56))).toBe(true);
    expect(chooseLayout(resnet(64, 56))).toEqual({ variant: F4x4Stride2, transposed: true });
  });
  it('layer3.0.conv1 (128 → 256, 28×28 → 14×14): F(3×3) fits 14 outputs with less padding', () => {
    expect(winogradApplies(resnet(128, 28))).toBe(true);
    expect(chooseLayout(resnet(128, 28))).toEqual({ variant: F3x3Stride2, transposed: true });
  });
  it('layer4.0.conv1 (256 → 512, 14×14 → 7×7): F(4×4), tiles as rows', () => {
    expect(winogradApplies(resnet(256, 14))).toBe(true);
    expect(chooseLayout(resnet(256, 14))).toEqual({ variant: F4x4Stride2, transposed: true });
  });
  it('few input channels (short GEMMs) stay with im2col', () => {
    expect(winogradApplies(resnet(16, 64))).toBe(false);
  });
  it('stride 1 keeps its own variants', () => {
    expect(chooseLayout(shapeOf(conv3x3([1, 64, 28, 28], 64, [1, 1, 1, 1], 1))).variant.stride).toBe(1);
  });
});

describe('stride-2 3×3 Conv with constant weights, through the Conv kernel, against onnxruntime', () => {
  it('32 input channels (Winograd applies), odd size, batch 2', async () => {
    const c = conv3x3([2, 32, 15, 13], 12, [1, 1, 1, 1]);
    expect(winogradApplies(shapeOf(c))).toBe(true);
    await expectSameAsOrtWithConstants(c, [1, 2]);
  });
  it('auto_pad SAME_UPPER (padding only after)', async () => {
    const c = conv3x3([1, 32, 24, 19], 16, [0, 0, 0, 0]);
    c.attributes = [attr.string('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 2])];
    expect(winogradApplies(shapeOf(c))).toBe(true);
    await expectSameAsOrtWithConstants(c, [1, 2]);
  });
});
