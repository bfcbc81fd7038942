import { describe, expect, it } from 'vitest';
import { DType, dtypeName } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { encodeModel } from '../../src/onnx/export.js';
import { bitwiseEqual, outputDifference, runOrt } from './ort.js';

/** y = Identity(x): whatever goes in through the conversion must come back bit for bit. */
function identityModel(dtype: DType, dims: number[]): Uint8Array {
  const model = new Model(new Map([['', 21]]));
  model.irVersion = 10;
  const g = model.graph;
  const x = g.addInput('x', tensorType(dtype, dims));
  const node = g.addNode({ opType: 'Identity', inputs: [x], outputs: ['y'] });
  node.outputs[0]!.type = tensorType(dtype, dims);
  g.outputs = [node.outputs[0]!];
  return encodeModel(model).bytes;
}

const samples: Tensor[] = [
  Tensor.fromNumbers(DType.FLOAT, [2, 2], [1.5, -0, NaN, -Infinity]),
  Tensor.fromNumbers(DType.DOUBLE, [3], [Math.PI, -0, NaN]),
  Tensor.fromNumbers(DType.FLOAT16, [3], [0x3c00, 0x8000, 0x7e01]),
  Tensor.fromNumbers(DType.INT8, [3], [-128, 0, 127]),
  Tensor.fromNumbers(DType.UINT8, [3], [0, 1, 255]),
  Tensor.fromNumbers(DType.INT16, [2], [-32768, 32767]),
  Tensor.fromNumbers(DType.UINT16, [2], [0, 65535]),
  Tensor.fromNumbers(DType.INT32, [2], [-(2 ** 31), 2 ** 31 - 1]),
  Tensor.fromNumbers(DType.UINT32, [2], [0, 2 ** 32 - 1]),
  new Tensor(DType.INT64, [2], new BigInt64Array([-(2n ** 63n), 2n ** 53n + 1n])),
  new Tensor(DType.UINT64, [2], new BigUint64Array([0n, 2n ** 64n - 1n])),
  Tensor.fromNumbers(DType.BOOL, [4], [0, 1, 1, 0]),
  new Tensor(DType.STRING, [3], ['', 'shears', 'ünïcode']),
  Tensor.fromNumbers(DType.FLOAT, [0, 3], []),
];

describe('onnxruntime-node helper', () => {
  for (const t of samples) {
    it(`round-trips ${dtypeName(t.dtype)}[${t.dims}] through Identity`, async () => {
      const out = await runOrt(identityModel(t.dtype, [...t.dims]), { x: t });
      expect(Object.keys(out)).toEqual(['y']);
      expect(bitwiseEqual(out.y, t)).toBe(true);
    });
  }

  it('tells apart outputs that differ in one bit', () => {
    const a = { y: Tensor.fromNumbers(DType.FLOAT, [1], [NaN]) };
    const b = { y: new Tensor(DType.FLOAT, [1], new Float32Array(new Uint32Array([0x7fc00001]).buffer)) };
    expect(outputDifference(a, a)).toBeUndefined();
    expect(outputDifference(a, b)).toContain("output 'y'");
  });
});
