import { describe, expect, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { expectSameAsOrt, f32, pseudoRandom, runCpuTensors, tensor } from './op-check.js';

// NaNs of both signs (x86's default NaN has the sign bit set), infinities, signed zeros, denormals.
const specials = new Float32Array([NaN, -NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1]);
new Int32Array(specials.buffer)[1] = 0xffc00000 | 0;
const specialTensor = () => new Tensor(DType.FLOAT, [12], specials.slice());

describe('Relu against onnxruntime', () => {
  it('float32 special values (bit-level kernel)', async () => expectSameAsOrt({ op: 'Relu', inputs: [specialTensor()] }));
  it('float32 random values, 4-D', async () => expectSameAsOrt({ op: 'Relu', inputs: [f32([2, 3, 5, 7], pseudoRandom(210, 9))] }));
  it('float64 and int32 (generic kernel)', async () => {
    await expectSameAsOrt({ op: 'Relu', inputs: [tensor(DType.DOUBLE, [6], [-2, -0.5, 0, 0.5, 2, NaN])] });
    await expectSameAsOrt({ op: 'Relu', opset: 14, inputs: [tensor(DType.INT32, [5], [-3, -1, 0, 1, 3])] });
  });
  it('keeps a NaN with the sign bit set as a NaN', async () => {
    const x = specialTensor();
    expect(new Int32Array((x.data as Float32Array).buffer)[1]).toBe(0xffc00000 | 0);
    const [y] = await runCpuTensors({ op: 'Relu', inputs: [x] });
    expect(Number.isNaN((y.data as Float32Array)[1])).toBe(true);
    expect((y.data as Float32Array)[3]).toBe(0);
  });
});
