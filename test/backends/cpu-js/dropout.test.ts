import { describe, expect, it } from 'vitest';
import { NumpyRandom } from '../../../backends/cpu-js/numpy-random.js';
import { DType } from '../../../src/ir/dtype.js';
import { attr, expectSameAsOrt, f32, pseudoRandom, runCpuTensors, tensor } from './op-check.js';

describe('NumpyRandom reproduces numpy.random.RandomState', () => {
  it('random_sample after seed(0) and seed(12345)', () => {
    // numpy: np.random.seed(0); np.random.random_sample(3)
    const r = new NumpyRandom(0);
    expect([r.random(), r.random(), r.random()]).toEqual([0.5488135039273248, 0.7151893663724195, 0.6027633760716439]);
    // np.random.seed(12345); np.random.random_sample(2)
    const s = new NumpyRandom(12345);
    expect([s.random(), s.random()]).toEqual([0.9296160928171479, 0.3163755545817859]);
  });

  it('standard_normal after seed(7)', () => {
    const r = new NumpyRandom(7);
    const got = [r.normal(), r.normal(), r.normal()];
    [1.690525703800356, -0.4659373705408328, 0.0328201636785844].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
  });
});

describe('Dropout', () => {
  const x = f32([3, 4, 5], pseudoRandom(60));

  it('in inference mode is the identity with an all-true mask, as in onnxruntime', async () => {
    await expectSameAsOrt({ op: 'Dropout', inputs: [x, f32([], [0.3])], outputs: 2 });
    await expectSameAsOrt({ op: 'Dropout', opset: 12, inputs: [x, f32([], [0.3]), tensor(DType.BOOL, [], [0])], outputs: 2 });
  });

  it('in training mode drops with the seeded numpy draws and scales the rest', async () => {
    const [y, mask] = await runCpuTensors({ op: 'Dropout', inputs: [x, f32([], [0.25]), tensor(DType.BOOL, [], [1])], attributes: [attr.int('seed', 3)], outputs: 2 });
    const draws = new NumpyRandom(3);
    const input = x.toNumbers();
    const keep = input.map(() => draws.random() >= 0.25);
    expect(mask.toNumbers()).toEqual(keep.map(Number));
    expect(y.toNumbers()).toEqual(input.map((v, i) => (keep[i] ? Math.fround(v / 0.75) : 0)));
    expect(keep.filter(Boolean).length).toBeGreaterThan(30);
  });
});
