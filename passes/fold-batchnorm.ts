/**
 * fold-batchnorm — fold inference BatchNormalization (and per-channel Mul/Add) into the weights of
 * the Conv, ConvTranspose, Gemm or MatMul before it.
 *
 *   before:  %c = Conv(%x, %w, %b)                        after:  %y = Conv(%x, %w', %b')
 *            %y = BatchNormalization(%c, %g, %beta, %m, %v)
 */
import { DType } from '../src/ir/dtype.js';
import type { Node } from '../src/ir/node.js';
import { Tensor } from '../src/ir/tensor.js';
import type { Value } from '../src/ir/value.js';
import { analyzeShapes, ShapeAnalysis, shapeOf } from '../src/pass/analysis.js';
import { definePass, Stats } from '../src/pass/pass.js';
import { isStandard, Rewriter, userCount } from '../src/pass/rewrite.js';
import { channelVector, scaleOutputChannels, setConstantInput } from './fold-batchnorm/weights.js';

type Target = 'conv' | 'gemm' | 'matmul';
const TARGET_OF: Readonly<Record<string, Target>> = { Conv: 'conv', ConvTranspose: 'conv', Gemm: 'gemm', MatMul: 'matmul' };

export default definePass({
  name: 'fold-batchnorm',
  summary: 'Fold inference BatchNormalization, and per-channel Mul/Add after Conv, into the preceding weights',
  description: `BatchNormalization in inference mode computes y = (x - mean) * s + beta with
s = scale / sqrt(var + epsilon), one value per channel. When x comes from a Conv or ConvTranspose
(channel = output channel), a Gemm or a 2-D MatMul, optionally followed by an Add of a constant
bias (channel = output column), and the BatchNormalization is its only user, the weights are scaled
by s and the bias becomes (bias - mean) * s + beta; the BatchNormalization disappears (a MatMul
without bias gets an Add). With \`mul-add\`, a Mul or Add by a per-channel constant after a Conv or
ConvTranspose is folded the same way. Only float32/float64 weights that are constants are folded;
a weight shared with other nodes is copied, not changed in place.

  before:  %c = Conv(%x, %w) {pads=[1,1,1,1]}                  after:  %y = Conv(%x, %w', %b')
           %y = BatchNormalization(%c, %s, %beta, %mean, %var)        {pads=[1,1,1,1]}`,
  options: {
    into: { type: 'enum', values: ['all', 'conv', 'gemm', 'matmul'], default: 'all', doc: 'which producers to fold into (conv includes ConvTranspose)' },
    'mul-add': { type: 'boolean', default: true, doc: 'also fold Mul/Add by per-channel constants after Conv/ConvTranspose' },
  },
  statistics: {
    'batchnorms-folded': 'BatchNormalization nodes folded into weights',
    'muls-folded': 'Mul nodes folded into Conv weights',
    'adds-folded': 'Add nodes folded into Conv biases',
  },
  run(model, options) {
    const stats = new Stats();
    const rewriter = new Rewriter(model);
    let analysis: ShapeAnalysis | undefined;
    const shapes = (): ShapeAnalysis => (analysis ??= analyzeShapes(model));
    const allowed = (t: Target | undefined): t is Target => t !== undefined && (options.into === 'all' || options.into === t);
    for (const g of model.graph.allGraphs()) {
      for (const node of g.nodes) {
        if (!isStandard(node) || rewriter.isRemoved(node)) continue;
        const folded =
          node.opType === 'BatchNormalization'
            ? foldBatchNorm(node, allowed, shapes, rewriter) && 'batchnorms-folded'
            : options['mul-add'] && allowed('conv') && (node.opType === 'Mul' || node.opType === 'Add')
              ? foldScaleShift(node, rewriter) && (node.opType === 'Mul' ? 'muls-folded' : 'adds-folded')
              : false;
        if (folded) stats.add(folded);
      }
    }
    rewriter.flush();
    return stats.result();
  },
});

/** y = x * s + t per output channel, applied to the producer's weights; false when the pattern does not hold. */
function foldBatchNorm(bn: Node, allowed: (t: Target | undefined) => t is Target, shapes: () => ShapeAnalysis, rewriter: Rewriter): boolean {
  const [x, scale, beta, mean, variance] = bn.inputs;
  const y = bn.outputs[0];
  if (!x || !y || !scale || !beta || !mean || !variance) return false;
  if (bn.getInt('training_mode', 0) !== 0 || bn.getInt('spatial', 1) !== 1 || bn.getInt('is_test', 1) === 0) return false;
  if (bn.outputs.slice(1).some((v) => v && userCount(v) > 0)) return false;
  const params = [scale, beta, mean, variance].map((v) => v.constant);
  if (params.some((t) => !t || !isFoldableFloat(t.dtype))) return false;
  const [g, b, m, v] = params.map((t) => t!.toNumbers());
  const eps = bn.getFloat('epsilon', 1e-5);
  const s = g.map((gi, i) => gi / Math.sqrt(v[i] + eps));
  const t = b.map((bi, i) => bi - m[i] * s[i]);
  if (![b, m, v].every((a) => a.length === s.length)) return false;

  let producer = x.producer;
  let biasAdd: Node | undefined;
  if (producer && producer.opType === 'Add' && isStandard(producer)) {
    biasAdd = producer;
    const mm = biasAdd.inputs.find((i) => i?.producer?.opType === 'MatMul')?.producer;
    producer = mm && userCount(mm.outputs[0]!) === 1 ? mm : null;
  }
  if (!producer || !isStandard(producer) || producer.graph !== bn.graph || userCount(x) !== 1) return false;
  const target = TARGET_OF[producer.opType];
  if (!allowed(target) || (biasAdd && target !== 'matmul')) return false;
  if (target === 'matmul' && !isTwoDimMatMul(producer, shapes())) return false;

  const scaled = scaleOutputChannels(producer, s);
  const shift = scaled && planShift(producer, biasAdd, s, t);
  if (!scaled || !shift) return false;
  setConstantInput(producer, 1, scaled);
  if (!rewriter.replaceValue(y, shift())) return false;
  rewriter.remove(bn);
  return true;
}

/**
 * How to make the bias old * s + t wherever the bias lives for this producer: a function that does
 * it and returns the value that then equals the BatchNormalization's output; undefined for a bias
 * of a form not handled (nothing is changed then).
 */
function planShift(producer: Node, biasAdd: Node | undefined, s: number[], t: number[]): (() => Value) | undefined {
  const dtype = producer.inputs[1]!.constant!.dtype;
  const out = (biasAdd ?? producer).outputs[0]!;
  const combine = (old: number[] | undefined): Tensor => floatTensor(dtype, [s.length], s.map((si, i) => (old ? old[i] * si : 0) + t[i]));
  switch (producer.opType) {
    case 'Conv':
    case 'ConvTranspose': {
      const bias = producer.inputs[2];
      const old = bias ? channelVector(bias.constant, s.length, 1) : undefined;
      if (bias && !old) return undefined;
      return () => (setConstantInput(producer, 2, combine(old)), out);
    }
    case 'Gemm': {
      const c = producer.inputs[2];
      const old = c ? channelVector(c.constant, s.length, 2) : undefined;
      if (c && !old) return undefined;
      const beta = producer.getFloat('beta', 1);
      return () => {
        setConstantInput(producer, 2, combine(old?.map((ci) => ci * beta)));
        producer.setAttr({ name: 'beta', type: 'float', value: 1 });
        return out;
      };
    }
    case 'MatMul': {
      if (!biasAdd) return () => appendAdd(producer, combine(undefined));
      const biasIndex = biasAdd.inputs[0] === producer.outputs[0] ? 1 : 0;
      const old = channelVector(biasAdd.inputs[biasIndex]?.constant, s.length, 2);
      if (!old) return undefined;
      return () => (setConstantInput(biasAdd, biasIndex, combine(old)), out);
    }
    default:
      return undefined;
  }
}

/** Add(producer's output, bias) right after the producer; returns the sum. */
function appendAdd(producer: Node, bias: Tensor): Value {
  const out = producer.outputs[0]!;
  const g = producer.graph;
  const shift = g.addInitializer(g.uniqueName(`${out.name}_shift`), bias);
  const nodes = g.nodes;
  const add = g.addNode({ opType: 'Add', inputs: [out, shift], outputs: [g.uniqueName(`${out.name}_shifted`)], before: nodes[nodes.indexOf(producer) + 1] });
  return add.outputs[0]!;
}

/** Conv → Mul(c) or Add(c) with c constant per output channel: fold into the Conv's weights or bias. */
function foldScaleShift(node: Node, rewriter: Rewriter): boolean {
  const idx = node.inputs.findIndex((v) => v?.producer && TARGET_OF[v.producer.opType] === 'conv');
  if (idx < 0) return false;
  const x = node.inputs[idx]!;
  const conv = x.producer!;
  const c = node.inputs[1 - idx];
  const y = node.outputs[0];
  if (!c || !y || !isStandard(conv) || conv.graph !== node.graph || userCount(x) !== 1) return false;
  const w = conv.inputs[1]?.constant;
  if (!w || !isFoldableFloat(w.dtype) || c.constant?.dtype !== w.dtype) return false;
  const channels = conv.opType === 'Conv' ? w.dims[0] : w.dims[1] * conv.getInt('group', 1);
  const per = channelVector(c.constant, channels, w.dims.length);
  if (!per) return false;
  const bias = conv.inputs[2];
  const old = bias ? channelVector(bias.constant, channels, 1) : undefined;
  if (bias && !old) return false;
  if (node.opType === 'Mul') {
    const scaled = scaleOutputChannels(conv, per);
    if (!scaled) return false;
    setConstantInput(conv, 1, scaled);
    if (old) setConstantInput(conv, 2, floatTensor(w.dtype, [channels], old.map((b, i) => b * per[i])));
  } else {
    setConstantInput(conv, 2, floatTensor(w.dtype, [channels], per.map((p, i) => (old ? old[i] : 0) + p)));
  }
  if (!rewriter.replaceValue(y, x)) return false;
  rewriter.remove(node);
  return true;
}

function isTwoDimMatMul(mm: Node, shapes: ShapeAnalysis): boolean {
  const a = mm.inputs[0];
  const w = mm.inputs[1]?.constant;
  return !!a && !!w && w.dims.length === 2 && shapeOf(shapes, a)?.length === 2;
}

function isFoldableFloat(dtype: DType): boolean {
  return dtype === DType.FLOAT || dtype === DType.DOUBLE;
}

function floatTensor(dtype: DType, dims: number[], values: number[]): Tensor {
  return new Tensor(dtype, dims, dtype === DType.DOUBLE ? Float64Array.from(values) : Float32Array.from(values));
}
