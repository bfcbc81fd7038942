/**
 * Random generators: RandomUniform(Like), RandomNormal(Like), Bernoulli and Multinomial. Each kernel
 * owns a NumPy-compatible generator (numpy-random.ts), seeded from the `seed` attribute when there is
 * one (so a seeded node repeats its sequence from one compile to the next) and from entropy otherwise;
 * successive runs continue the sequence.
 */
import { ShearsError } from '../../../src/error.js';
import { DType, isFloat, isKnownDType } from '../../../src/ir/dtype.js';
import { float32ToBfloat16, float32ToFloat16 } from '../../../src/ir/float16.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { NumpyRandom } from '../numpy-random.js';
import { elementClass, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** The generator for a node: its float `seed` attribute, when integral and 32-bit, is NumPy's seed. */
function generatorFor(node: Node): NumpyRandom {
  const seed = node.getFloat('seed');
  if (seed === undefined) return new NumpyRandom(NumpyRandom.entropy());
  if (Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32) return new NumpyRandom(seed);
  const bits = new Uint32Array(new Float64Array([seed]).buffer);
  return new NumpyRandom((bits[0] ^ bits[1]) >>> 0);
}

/** Writes a float into an output of any float dtype (16-bit types as their bits). */
function floatWriter(dtype: DType): (v: number) => number {
  if (dtype === DType.FLOAT16) return float32ToFloat16;
  if (dtype === DType.BFLOAT16) return float32ToBfloat16;
  return (v) => v;
}

function dtypeSupported(node: Node): true | string {
  const d = node.getInt('dtype');
  return d === undefined || (isKnownDType(d) && isFloat(d)) ? true : `dtype ${d} is not a float type`;
}

/** A generator op with a fixed shape (`shape` attribute) or the shape of its input (…Like). */
function generator(op: string, like: boolean, draw: (r: NumpyRandom, a: number, b: number) => number, params: (node: Node) => [number, number]): KernelDef {
  return {
    op,
    since: 1,
    supports: dtypeSupported,
    create(ctx) {
      const { node } = ctx;
      const input = like ? tensorTypeOf(node, ctx.inputTypes[0], 0) : null;
      const dims = input ? input.dims : node.getInts('shape', []);
      const dtype = (node.getInt('dtype') ?? (input && isFloat(input.dtype) ? input.dtype : DType.FLOAT)) as DType;
      const write = floatWriter(dtype);
      const [a, b] = params(node);
      const random = generatorFor(node);
      const n = elementCount(dims);
      return (_, rc) => {
        const out = rc.output(0, dtype, dims);
        const y = out.data as Float32Array;
        for (let i = 0; i < n; i++) y[i] = write(draw(random, a, b));
        return [out];
      };
    },
  };
}

const uniform = (r: NumpyRandom, low: number, high: number): number => low + (high - low) * r.random();
const normal = (r: NumpyRandom, mean: number, scale: number): number => mean + scale * r.normal();
const uniformParams = (node: Node): [number, number] => [node.getFloat('low', 0), node.getFloat('high', 1)];
const normalParams = (node: Node): [number, number] => [node.getFloat('mean', 0), node.getFloat('scale', 1)];

registerKernel(
  generator('RandomUniform', false, uniform, uniformParams),
  generator('RandomUniformLike', true, uniform, uniformParams),
  generator('RandomNormal', false, normal, normalParams),
  generator('RandomNormalLike', true, normal, normalParams),
  {
    op: 'Bernoulli',
    since: 15,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
      const dtype = (node.getInt('dtype') ?? x.dtype) as DType;
      const kind = elementClass(dtype);
      if (kind === 'string') throw unsupportedType(node, dtype);
      const one = kind === 'big' ? 1n : floatWriter(dtype)(1);
      const zero = kind === 'big' ? 0n : 0;
      const random = generatorFor(node);
      const n = elementCount(x.dims);
      return (inputs, rc) => {
        const p = tensorInput(node, inputs, 0).data as Float32Array;
        const out = rc.output(0, dtype, x.dims);
        const y = out.data as unknown[];
        for (let i = 0; i < n; i++) y[i] = random.random() < p[i] ? one : zero;
        return [out];
      };
    },
  },
  {
    op: 'Multinomial',
    since: 7,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
      if (x.dims.length !== 2) throw new ShearsError('E_SHAPE', `${describe(node)}: input must be [batch, classes], got [${x.dims.join(',')}]`, { node: node.name });
      const dtype = node.getInt('dtype', DType.INT32) as DType;
      if (dtype !== DType.INT32 && dtype !== DType.INT64) throw unsupportedType(node, dtype);
      const [batch, classes] = x.dims;
      const samples = node.getInt('sample_size', 1);
      const random = generatorFor(node);
      const cumulative = new Float64Array(classes);
      return (inputs, rc) => {
        const logits = tensorInput(node, inputs, 0).data as Float32Array;
        const out = rc.output(0, dtype, [batch, samples]);
        const y = out.data as unknown[];
        for (let b = 0; b < batch; b++) {
          // Unnormalized log-probabilities: subtract the max before exponentiating.
          let max = -Infinity;
          for (let c = 0; c < classes; c++) max = Math.max(max, logits[b * classes + c]);
          let total = 0;
          for (let c = 0; c < classes; c++) cumulative[c] = total += Math.exp(logits[b * classes + c] - max);
          for (let s = 0; s < samples; s++) {
            const u = random.random() * total;
            let c = 0;
            while (c < classes - 1 && cumulative[c] <= u) c++;
            y[b * samples + s] = dtype === DType.INT64 ? BigInt(c) : c;
          }
        }
        return [out];
      };
    },
  },
);
