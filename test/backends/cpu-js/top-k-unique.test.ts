import { describe, expect, it } from 'vitest';
import { attr, expectSameAsOrt, f32, i64, pseudoRandom, runCpuTensors } from './op-check.js';

describe('TopK and Unique', () => {
  it('TopK smallest on a middle axis with ties keeps the lower index first', async () => {
    const x = f32([2, 5, 2], [3, 1, 2, 1, 3, 1, 2, 1, 0, 1, 5, 5, 5, 4, 5, 5, 4, 4, 4, 4]);
    const [values, indices] = await runCpuTensors({ op: 'TopK', inputs: [x, i64([1], [3])], attributes: [attr.int('axis', 1), attr.int('largest', 0)], outputs: 2 });
    // numpy: argsort(x, axis=1, kind='stable')[:, :3, :]
    expect(values.toNumbers()).toEqual([0, 1, 2, 1, 2, 1, 4, 4, 4, 4, 5, 4]);
    expect(indices.toNumbers()).toEqual([4, 0, 1, 1, 3, 2, 3, 1, 4, 3, 0, 4]);
  });

  it('TopK largest on int64 matches onnxruntime', async () => {
    await expectSameAsOrt({ op: 'TopK', inputs: [i64([3, 4], [5, -2, 9, 0, 7, 7, 1, 3, -8, 4, 4, 2]), i64([1], [2])], outputs: 2 });
  });

  it('TopK with k = 0 gives empty outputs', async () => {
    const [values] = await runCpuTensors({ op: 'TopK', inputs: [f32([2, 3], pseudoRandom(6)), i64([1], [0])], outputs: 2 });
    expect(values.dims).toEqual([2, 0]);
  });

  it('Unique with an axis, not sorted, matches onnxruntime', async () => {
    const x = f32([3, 4], [1, 0, 1, 0, 2, 3, 2, 3, 1, 0, 1, 0]);
    await expectSameAsOrt({ op: 'Unique', inputs: [x], attributes: [attr.int('axis', 1), attr.int('sorted', 0)], outputs: 4 });
  });

  it('Unique over int64 elements, sorted', async () => {
    await expectSameAsOrt({ op: 'Unique', inputs: [i64([2, 4], [4, -1, 4, 2, 0, -1, 9, 2])], outputs: 4 });
  });
});
