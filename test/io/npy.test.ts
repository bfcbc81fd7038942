import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { Tensor } from '../../src/ir/tensor.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';

const PYTHON = '/usr/bin/python3';
const hasNumpy = fs.existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy']);
    return true;
  } catch {
    return false;
  }
})();

describe('.npy files', () => {
  it.skipIf(!hasNumpy)('reads what numpy writes: dtypes, byte order, Fortran order, scalars', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
    execFileSync(PYTHON, [
      '-c',
      `import numpy as np, os
d = ${JSON.stringify(dir)}
np.save(os.path.join(d, 'f4.npy'), np.arange(6, dtype='<f4').reshape(2, 3) / 4)
np.save(os.path.join(d, 'be.npy'), np.arange(4, dtype='>i4') - 2)
np.save(os.path.join(d, 'fortran.npy'), np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3)))
np.save(os.path.join(d, 'bool.npy'), np.array([True, False, True]))
np.save(os.path.join(d, 'scalar.npy'), np.float64(2.5))
np.save(os.path.join(d, 'half.npy'), np.array([1.5, -2], dtype=np.float16))`,
    ]);
    const read = (name: string): Tensor => decodeNpy(fs.readFileSync(path.join(dir, name)));
    const f4 = read('f4.npy');
    expect([f4.dtype, f4.dims, [...(f4.data as Float32Array)]]).toEqual([DType.FLOAT, [2, 3], [0, 0.25, 0.5, 0.75, 1, 1.25]]);
    expect([...(read('be.npy').data as Int32Array)]).toEqual([-2, -1, 0, 1]);
    const fortran = read('fortran.npy');
    expect([fortran.dims, [...(fortran.data as BigInt64Array)]]).toEqual([[2, 3], [0n, 1n, 2n, 3n, 4n, 5n]]);
    expect([...(read('bool.npy').data as Uint8Array)]).toEqual([1, 0, 1]);
    expect([read('scalar.npy').dims, read('scalar.npy').toNumbers()]).toEqual([[], [2.5]]);
    expect(read('half.npy').toNumbers()).toEqual([1.5, -2]);
  });

  it.skipIf(!hasNumpy)('writes what numpy reads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
    fs.writeFileSync(path.join(dir, 'a.npy'), encodeNpy(Tensor.fromNumbers(DType.INT16, [3, 1], [-1, 0, 7])));
    fs.writeFileSync(path.join(dir, 'b.npy'), encodeNpy(Tensor.fromNumbers(DType.FLOAT, [2], [0.5, -3])));
    const out = execFileSync(PYTHON, ['-c', `import numpy as np; a = np.load('${dir}/a.npy'); b = np.load('${dir}/b.npy'); print(a.dtype, a.shape, a.ravel().tolist(), b.dtype, b.shape, b.tolist())`]);
    expect(out.toString().trim()).toBe('int16 (3, 1) [-1, 0, 7] float32 (2,) [0.5, -3.0]');
  });

  it('round-trips a tensor', () => {
    const t = Tensor.fromNumbers(DType.UINT8, [2, 2], [1, 2, 3, 255]);
    const back = decodeNpy(encodeNpy(t));
    expect([back.dtype, back.dims, [...(back.data as Uint8Array)]]).toEqual([DType.UINT8, [2, 2], [1, 2, 3, 255]]);
  });

  it('rejects truncated and foreign files with E_PARSE', () => {
    const good = encodeNpy(Tensor.fromNumbers(DType.FLOAT, [4], [1, 2, 3, 4]));
    expect(() => decodeNpy(good.subarray(0, good.length - 4))).toThrow(expect.objectContaining({ code: 'E_PARSE' }));
    expect(() => decodeNpy(new TextEncoder().encode('hello world, not numpy'))).toThrow(expect.objectContaining({ code: 'E_PARSE' }));
  });
});
