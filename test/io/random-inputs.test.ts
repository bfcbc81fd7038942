import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { float16ToFloat32 } from '../../src/ir/float16.js';
import { Model } from '../../src/ir/model.js';
import type { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { randomInputs } from '../../src/io/input-files.js';
import { seededRandom } from '../../src/util/random.js';

/** One input per dtype, in this order, each drawn from the seed's sequence after the previous one. */
function inputsModel(): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  g.addInput('f', tensorType(DType.FLOAT, [2, 3]));
  g.addInput('h', tensorType(DType.FLOAT16, [4]));
  g.addInput('b', tensorType(DType.BOOL, [5]));
  g.addInput('i', tensorType(DType.INT64, ['n', 3]));
  return m;
}

describe('randomInputs', () => {
  it('draws each input in order from the seeded sequence, in its own array type and range', () => {
    const { feeds, assumed } = randomInputs(inputsModel().graph, 3);
    const u = seededRandom(3);
    const f = feeds.f as Tensor;
    expect(f.data).toBeInstanceOf(Float32Array);
    expect([...(f.data as Float32Array)]).toEqual(Array.from({ length: 6 }, () => Math.fround(u() * 2 - 1)));
    const h = feeds.h as Tensor;
    expect(h.data).toBeInstanceOf(Uint16Array);
    for (const bits of h.data as Uint16Array) expect(Math.abs(float16ToFloat32(bits) - (u() * 2 - 1))).toBeLessThan(1e-3);
    expect([...((feeds.b as Tensor).data as Uint8Array)]).toEqual(Array.from({ length: 5 }, () => (u() < 0.5 ? 0 : 1)));
    const i = feeds.i as Tensor;
    expect(i.dims).toEqual([1, 3]);
    expect(assumed).toEqual(['n']);
    expect([...(i.data as BigInt64Array)]).toEqual(Array.from({ length: 3 }, () => BigInt(Math.floor(u() * 10))));
  });
});
