/**
 * Dropout. In inference (always before opset 12; with training_mode false or absent after) the
 * output is the input and the mask all ones. In training mode each element is kept with
 * probability 1 - ratio and scaled by 1 / (1 - ratio); a `seed` makes the draws those of NumPy's
 * `np.random.seed(seed); np.random.uniform(size=...) >= ratio`, as in the ONNX reference.
 */
import { ShearsError } from '../../../src/error.js';
import { DType, isFloat } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { KernelDef, registerKernel } from '../kernel.js';
import { NumpyRandom } from '../numpy-random.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function dropoutKernel(since: number, maskType: 'input' | 'bool', trainable: boolean): KernelDef {
  return {
    op: 'Dropout',
    since,
    create(ctx) {
      const { node } = ctx;
      const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
      if (!isFloat(x.dtype)) throw unsupportedType(node, x.dtype);
      const n = elementCount(x.dims);
      const seed = node.getInt('seed');
      const random = new NumpyRandom(seed ?? NumpyRandom.entropy());
      const wantMask = !!node.outputs[1];
      const maskDtype = maskType === 'bool' ? DType.BOOL : x.dtype;
      return (inputs, rc) => {
        const input = tensorInput(node, inputs, 0);
        const training = trainable && !!optionalTensor(inputs, 2)?.data[0];
        const ratio = trainable ? Number(optionalTensor(inputs, 1)?.data[0] ?? 0.5) : 0;
        if (!training || ratio === 0) {
          if (!wantMask) return [input, null];
          const mask = rc.output(1, maskDtype, x.dims);
          (mask.data as Uint8Array).fill(1);
          return [input, mask];
        }
        if (!(ratio >= 0 && ratio < 1)) throw new ShearsError('E_SHAPE', `${describe(node)}: ratio ${ratio} is outside [0, 1)`, { node: node.name });
        const scale = 1 / (1 - ratio);
        const X = input.data as Float32Array;
        const out = rc.output(0, x.dtype, x.dims);
        const Y = out.data as Float32Array;
        const mask = wantMask ? rc.output(1, DType.BOOL, x.dims) : null;
        const keep = mask?.data as Uint8Array | undefined;
        for (let i = 0; i < n; i++) {
          const kept = random.random() >= ratio;
          Y[i] = kept ? X[i] * scale : 0;
          if (keep) keep[i] = kept ? 1 : 0;
        }
        return [out, mask];
      };
    },
  };
}

registerKernel(dropoutKernel(7, 'input', false), dropoutKernel(10, 'bool', false), dropoutKernel(12, 'bool', true));
