import { describe, expect, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { attr, f32, runCpuTensors, tensor } from './op-check.js';

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('random generators', () => {
  it('RandomUniform with a seed draws what np.random.seed(5); np.random.uniform(-2, 3, (2, 3)) draws', async () => {
    const [y] = await runCpuTensors({ op: 'RandomUniform', inputs: [], attributes: [attr.float('low', -2), attr.float('high', 3), attr.float('seed', 5), attr.ints('shape', [2, 3])] });
    expect(y.dtype).toBe(DType.FLOAT);
    expect(y.dims).toEqual([2, 3]);
    expect(y.toNumbers()).toEqual([-0.8900341391563416, 2.35366153717041, -0.9664041996002197, 2.5930545330047607, 0.44205594062805176, 1.058719277381897]);
  });

  it('RandomNormal with a seed draws what np.random.seed(9); np.random.normal(1.5, 0.5, 5) draws', async () => {
    const [y] = await runCpuTensors({ op: 'RandomNormal', inputs: [], attributes: [attr.float('mean', 1.5), attr.float('scale', 0.5), attr.float('seed', 9), attr.ints('shape', [5])] });
    expect(y.toNumbers()).toEqual([1.5005543231964111, 1.3552279472351074, 0.9419668316841125, 1.493558645248413, 1.3108192682266235]);
  });

  it('RandomNormalLike as float64 without a seed has the right moments', async () => {
    const [y] = await runCpuTensors({ op: 'RandomNormalLike', inputs: [f32([100, 100], new Array(10000).fill(0))], attributes: [attr.int('dtype', DType.DOUBLE), attr.float('scale', 2)] });
    expect(y.dtype).toBe(DType.DOUBLE);
    const v = y.toNumbers();
    expect(Math.abs(mean(v))).toBeLessThan(0.1);
    expect(Math.abs(mean(v.map((x) => x * x)) - 4)).toBeLessThan(0.25);
  });

  it('RandomUniformLike in float16 stays in [low, high)', async () => {
    const [y] = await runCpuTensors({ op: 'RandomUniformLike', inputs: [f32([1000], new Array(1000).fill(0))], attributes: [attr.int('dtype', DType.FLOAT16), attr.float('low', 10), attr.float('high', 11)] });
    expect(y.dtype).toBe(DType.FLOAT16);
    const v = y.toNumbers();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...v)).toBeLessThanOrEqual(11);
    expect(Math.abs(mean(v) - 10.5)).toBeLessThan(0.05);
  });

  it('Bernoulli draws ones with the given probabilities, in the requested dtype', async () => {
    const p = [0, 0.2, 0.5, 0.9, 1];
    const probs = f32([2000, 5], Array.from({ length: 10000 }, (_, i) => p[i % 5]));
    const [y] = await runCpuTensors({ op: 'Bernoulli', inputs: [probs], attributes: [attr.int('dtype', DType.INT32)] });
    expect(y.dtype).toBe(DType.INT32);
    const v = y.toNumbers();
    expect(v.every((x) => x === 0 || x === 1)).toBe(true);
    p.forEach((q, k) => expect(Math.abs(mean(v.filter((_, i) => i % 5 === k)) - q)).toBeLessThan(0.04));
  });

  it('Bernoulli with a seed repeats its draws from one compile to the next', async () => {
    const c = { op: 'Bernoulli', inputs: [f32([50], new Array(50).fill(0.5))], attributes: [attr.float('seed', 3)] };
    expect((await runCpuTensors(c))[0].toNumbers()).toEqual((await runCpuTensors(c))[0].toNumbers());
  });

  it('Multinomial samples classes with softmax frequencies of the log-probabilities', async () => {
    const logits = [Math.log(0.1), Math.log(0.6), Math.log(0.3)];
    const [y] = await runCpuTensors({ op: 'Multinomial', inputs: [f32([1, 3], logits)], attributes: [attr.int('sample_size', 6000), attr.int('dtype', DType.INT64), attr.float('seed', 1)] });
    expect(y.dims).toEqual([1, 6000]);
    const v = y.toNumbers();
    [0.1, 0.6, 0.3].forEach((q, c) => expect(Math.abs(v.filter((x) => x === c).length / 6000 - q)).toBeLessThan(0.03));
  });

  it('Bernoulli keeps float64 probabilities as float64 output by default', async () => {
    const [y] = await runCpuTensors({ op: 'Bernoulli', inputs: [tensor(DType.DOUBLE, [3], [1, 0, 1])] });
    expect(y.dtype).toBe(DType.DOUBLE);
    expect(y.toNumbers()).toEqual([1, 0, 1]);
  });
});
