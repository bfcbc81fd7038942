import type { Rule } from './context.js';
import { sameAs } from './rules/common.js';
import { conv, convInteger, convTranspose, qlinearConv } from './rules/conv.js';
import { ifRule, loop, scan, sequenceMap } from './rules/control-flow.js';
import { einsum } from './rules/einsum.js';
import { boolUnary, broadcast, broadcastAsFirst, broadcastBool, cast, castLike, dropout, prelu, where } from './rules/elementwise.js';
import { gather, gatherElements, gatherND, oneHot } from './rules/gather-scatter.js';
import { constant, constantOfShape, eyeLike, melWeightMatrix, multinomial, random, randomLike, range, window } from './rules/generate.js';
import { negativeLogLikelihoodLoss, softmaxCrossEntropyLoss } from './rules/loss.js';
import { gemm, matmul, matmulInteger, qlinearMatmul } from './rules/matmul.js';
import { det, gridSample } from './rules/misc.js';
import { batchNorm, layerNorm } from './rules/normalization.js';
import { globalPool, maxRoiPool, maxUnpool, pool, roiAlign } from './rules/pool.js';
import { dequantizeLinear, dynamicQuantizeLinear, quantizeLinear } from './rules/quantize.js';
import { argReduce, reduce } from './rules/reduce.js';
import { resize, upsample } from './rules/resize.js';
import { gru, lstm, rnn } from './rules/rnn.js';
import { compress, nonMaxSuppression, nonZero, topK, unique } from './rules/selection.js';
import {
  concatFromSequence, optional, optionalGetElement, optionalHasElement, sequenceAt, sequenceConstruct,
  sequenceEmpty, sequenceErase, sequenceInsert, sequenceLength, splitToSequence,
} from './rules/sequence.js';
import { concat, expand, pad, slice, split, tile } from './rules/concat-slice.js';
import { depthToSpace, flatten, reshape, shape, size, spaceToDepth, squeeze, transpose, unsqueeze } from './rules/shape-ops.js';
import { dft, stft } from './rules/signal.js';
import { stringNormalizer, tfIdfVectorizer } from './rules/text.js';
import { adagrad, adam, momentum } from './rules/training.js';

/** Ops whose output is the input's type unchanged: elementwise math, activations, normalisations. */
const SAME_AS_INPUT = [
  'Abs', 'Acos', 'Acosh', 'Asin', 'Asinh', 'Atan', 'Atanh', 'Ceil', 'Celu', 'Clip', 'Cos', 'Cosh', 'CumSum', 'Elu', 'Erf',
  'Exp', 'Floor', 'Gelu', 'GroupNormalization', 'HardSigmoid', 'HardSwish', 'Hardmax', 'Identity', 'InstanceNormalization',
  'LRN', 'LeakyRelu', 'Log', 'LogSoftmax', 'LpNormalization', 'MeanVarianceNormalization', 'Mish', 'Neg', 'Not',
  'Reciprocal', 'Relu', 'ReverseSequence', 'Round', 'Scatter', 'ScatterElements', 'ScatterND', 'Selu', 'Shrink', 'Sigmoid',
  'Sign', 'Sin', 'Sinh', 'Softmax', 'Softplus', 'Softsign', 'Sqrt', 'Tan', 'Tanh', 'ThresholdedRelu', 'Trilu',
];

const REDUCTIONS = ['ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSum', 'ReduceSumSquare'];

/** One rule per op of the default (ai.onnx) domain. */
const DEFAULT_DOMAIN: Record<string, Rule> = {
  ...Object.fromEntries(SAME_AS_INPUT.map((op) => [op, sameAs(0)])),
  ...Object.fromEntries(REDUCTIONS.map((op) => [op, reduce])),
  Add: broadcast, Sub: broadcast, Mul: broadcast, Div: broadcast, Mod: broadcast, Max: broadcast, Min: broadcast,
  Mean: broadcast, Sum: broadcast, BitShift: broadcast, Pow: broadcastAsFirst,
  And: broadcastBool, Or: broadcastBool, Xor: broadcastBool, Equal: broadcastBool, Greater: broadcastBool,
  GreaterOrEqual: broadcastBool, Less: broadcastBool, LessOrEqual: broadcastBool,
  Where: where, PRelu: prelu, IsInf: boolUnary, IsNaN: boolUnary, Cast: cast, CastLike: castLike, Dropout: dropout,
  ArgMax: argReduce, ArgMin: argReduce,
  MatMul: matmul, MatMulInteger: matmulInteger, QLinearMatMul: qlinearMatmul, Gemm: gemm, Einsum: einsum,
  Conv: conv, ConvInteger: convInteger, QLinearConv: qlinearConv, ConvTranspose: convTranspose,
  AveragePool: pool, MaxPool: pool, LpPool: pool, GlobalAveragePool: globalPool, GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool, MaxUnpool: maxUnpool, RoiAlign: roiAlign, MaxRoiPool: maxRoiPool,
  BatchNormalization: batchNorm, LayerNormalization: layerNorm,
  Shape: shape, Size: size, Reshape: reshape, Flatten: flatten, Squeeze: squeeze, Unsqueeze: unsqueeze,
  Transpose: transpose, Concat: concat, Split: split, Slice: slice, Expand: expand, Tile: tile, Pad: pad,
  DepthToSpace: depthToSpace, SpaceToDepth: spaceToDepth,
  Gather: gather, GatherElements: gatherElements, GatherND: gatherND, OneHot: oneHot,
  Constant: constant, ConstantOfShape: constantOfShape, Range: range, EyeLike: eyeLike,
  RandomNormal: random, RandomUniform: random, RandomNormalLike: randomLike, RandomUniformLike: randomLike,
  Bernoulli: randomLike, Multinomial: multinomial,
  HannWindow: window, HammingWindow: window, BlackmanWindow: window, MelWeightMatrix: melWeightMatrix,
  TopK: topK, NonZero: nonZero, Compress: compress, Unique: unique, NonMaxSuppression: nonMaxSuppression,
  Resize: resize, Upsample: upsample,
  RNN: rnn, GRU: gru, LSTM: lstm,
  DFT: dft, STFT: stft,
  QuantizeLinear: quantizeLinear, DequantizeLinear: dequantizeLinear, DynamicQuantizeLinear: dynamicQuantizeLinear,
  NegativeLogLikelihoodLoss: negativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss: softmaxCrossEntropyLoss,
  StringNormalizer: stringNormalizer, TfIdfVectorizer: tfIdfVectorizer,
  Det: det, GridSample: gridSample,
  SequenceConstruct: sequenceConstruct, SequenceEmpty: sequenceEmpty, SequenceInsert: sequenceInsert,
  SequenceErase: sequenceErase, SequenceAt: sequenceAt, SequenceLength: sequenceLength,
  SplitToSequence: splitToSequence, ConcatFromSequence: concatFromSequence,
  Optional: optional, OptionalGetElement: optionalGetElement, OptionalHasElement: optionalHasElement,
  If: ifRule, Loop: loop, Scan: scan, SequenceMap: sequenceMap,
};

const TRAINING_DOMAIN: Record<string, Rule> = { Adagrad: adagrad, Adam: adam, Momentum: momentum };

const DOMAINS = new Map<string, Record<string, Rule>>([
  ['', DEFAULT_DOMAIN],
  ['ai.onnx.preview.training', TRAINING_DOMAIN],
]);

export function ruleFor(domain: string, opType: string): Rule | undefined {
  const table = DOMAINS.get(domain === 'ai.onnx' ? '' : domain);
  return table && Object.hasOwn(table, opType) ? table[opType] : undefined;
}
