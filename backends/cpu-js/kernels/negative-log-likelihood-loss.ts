/** NegativeLogLikelihoodLoss: -input[n, target[n, d...], d...], weighted, with ignore_index and a reduction. */
import { isFloat } from '../../../src/ir/dtype.js';
import { registerKernel } from '../kernel.js';
import { checkWeights, nll, nllShape, readReduction, reductionSupported } from '../nll.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

registerKernel({
  op: 'NegativeLogLikelihoodLoss',
  since: 12,
  supports: reductionSupported,
  create(ctx) {
    const { node } = ctx;
    const input = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (!isFloat(input.dtype)) throw unsupportedType(node, input.dtype);
    const shape = nllShape(node, input.dims, tensorTypeOf(node, ctx.inputTypes[1], 1).dims);
    if (ctx.inputTypes[2]) checkWeights(node, tensorTypeOf(node, ctx.inputTypes[2], 2).dims, shape.c);
    const reduction = readReduction(node);
    const ignoreIndex = node.getInt('ignore_index');
    const outDims = reduction === 'none' ? shape.lossDims : [];
    return (inputs, rc) => {
      const weight = optionalTensor(inputs, 2);
      const out = rc.output(0, input.dtype, outDims);
      const logp = tensorInput(node, inputs, 0).data as Float32Array;
      nll(node, shape, logp, tensorInput(node, inputs, 1).data as Int32Array, weight ? (weight.data as Float32Array) : null, ignoreIndex, reduction, out.data as Float32Array);
      return [out];
    };
  },
});
