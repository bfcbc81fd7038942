/** Range(start, limit, delta): ceil((limit - start) / delta) values, none when that is negative. */
import { DType } from '../../../src/ir/dtype.js';
import { registerKernel } from '../kernel.js';
import { tensorInput } from '../tensors.js';

registerKernel({
  op: 'Range',
  since: 11,
  create(ctx) {
    const { node } = ctx;
    return (inputs, rc) => {
      const [start, limit, delta] = [0, 1, 2].map((i) => tensorInput(node, inputs, i));
      const [s, l, d] = [start, limit, delta].map((t) => Number(t.data[0]));
      const n = Math.max(Math.ceil((l - s) / d), 0);
      const out = rc.output(0, start.dtype, [n]);
      if (start.dtype === DType.INT64) {
        const b = out.data as BigInt64Array;
        const bs = start.data[0] as bigint;
        const bd = delta.data[0] as bigint;
        for (let i = 0; i < n; i++) b[i] = bs + BigInt(i) * bd;
      } else {
        const f = out.data as Float32Array;
        for (let i = 0; i < n; i++) f[i] = s + i * d;
      }
      return [out];
    };
  },
});
