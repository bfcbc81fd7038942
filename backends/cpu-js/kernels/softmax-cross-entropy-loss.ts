/** SoftmaxCrossEntropyLoss: log-softmax over the class axis, then the negative log-likelihood (optionally also returning the log-probabilities). */
import { isFloat } from '../../../src/ir/dtype.js';
import { elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { checkWeights, nll, nllShape, readReduction, reductionSupported } from '../nll.js';
import { optionalTensor, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** Log-softmax of `x` ([N, C, D]) over C, into `out`. */
function logSoftmax(x: ArrayLike<number>, n: number, c: number, d: number, out: { [i: number]: number }): void {
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < d; p++) {
      const base = b * c * d + p;
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, x[base + k * d]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp(x[base + k * d] - max);
      const log = max + Math.log(sum);
      for (let k = 0; k < c; k++) out[base + k * d] = x[base + k * d] - log;
    }
  }
}

registerKernel({
  op: 'SoftmaxCrossEntropyLoss',
  since: 12,
  supports: reductionSupported,
  create(ctx) {
    const { node } = ctx;
    const scores = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (!isFloat(scores.dtype)) throw unsupportedType(node, scores.dtype);
    const shape = nllShape(node, scores.dims, tensorTypeOf(node, ctx.inputTypes[1], 1).dims);
    if (ctx.inputTypes[2]) checkWeights(node, tensorTypeOf(node, ctx.inputTypes[2], 2).dims, shape.c);
    const reduction = readReduction(node);
    const ignoreIndex = node.getInt('ignore_index');
    const outDims = reduction === 'none' ? shape.lossDims : [];
    const wantLogProb = !!node.outputs[1];
    const scratch = wantLogProb ? null : new Float64Array(elementCount(scores.dims));
    return (inputs, rc) => {
      const weight = optionalTensor(inputs, 2);
      const logProb = wantLogProb ? rc.output(1, scores.dtype, scores.dims) : null;
      const logp = (logProb ? logProb.data : scratch) as Float64Array;
      logSoftmax(tensorInput(node, inputs, 0).data as Float32Array, shape.n, shape.c, shape.d, logp);
      const out = rc.output(0, scores.dtype, outDims);
      nll(node, shape, logp, tensorInput(node, inputs, 1).data as Int32Array, weight ? (weight.data as Float32Array) : null, ignoreIndex, reduction, out.data as Float32Array);
      return [out, logProb];
    };
  },
});
