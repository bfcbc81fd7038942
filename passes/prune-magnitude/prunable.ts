/**
 * Which tensors magnitude pruning may zero: the weight operands of Conv, ConvTranspose, Gemm and
 * MatMul when they are constant — an initializer or a Constant node, directly or through
 * Transpose / Cast / Identity, and through a DequantizeLinear of a quantized constant. A tensor
 * that feeds several such nodes is one weight, pruned once. Biases (Conv's B, Gemm's C) are never
 * weight operands, and normalization parameters never reach these inputs.
 */
import { DType, isFloat } from '../../src/ir/dtype.js';
import type { Model } from '../../src/ir/model.js';
import type { Node } from '../../src/ir/node.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { Value } from '../../src/ir/value.js';
import { floatElements, quantizedElements, WeightElements } from './elements.js';

/** Input positions that hold a weight, by op; for Gemm and MatMul whichever operand is constant. */
const WEIGHT_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1],
  ConvTranspose: [1],
  Gemm: [0, 1],
  MatMul: [0, 1],
};

/** Ops between a constant and its consumer that keep zeros zero and move no element across weights. */
const PASS_THROUGH = new Set(['Transpose', 'Cast', 'Identity']);

const FLOAT_SOURCES = new Set([DType.FLOAT, DType.DOUBLE, DType.FLOAT16, DType.BFLOAT16]);
const QUANTIZED_SOURCES = new Set([DType.INT8, DType.UINT8, DType.INT16, DType.UINT16, DType.INT32]);

export interface PrunableWeight {
  /** The initializer's name, or the output name of the Constant node that holds the tensor. */
  name: string;
  source: Value;
  tensor: Tensor;
  /** The Conv/ConvTranspose/Gemm/MatMul nodes that read it, in graph order. */
  consumers: Node[];
  /** Ops between the tensor and its first consumer, tensor side first (e.g. DequantizeLinear, Transpose). */
  via: string[];
  /** Element access as the consumer sees it; materializes the tensor's data when first called. */
  elements(): WeightElements;
}

export interface PrunableSearch {
  weights: PrunableWeight[];
  /** How many Conv/ConvTranspose/Gemm/MatMul nodes the model has (for the message when no weight is prunable). */
  weightOps: number;
}

/** Every prunable weight of the model and its subgraphs, in the order of their first consumer. */
export function findPrunableWeights(model: Model): PrunableSearch {
  const found = new Map<Value, PrunableWeight>();
  let weightOps = 0;
  for (const g of model.graph.allGraphs()) {
    for (const node of g.nodes) {
      const positions = node.domain === '' || node.domain === 'ai.onnx' ? WEIGHT_INPUTS[node.opType] : undefined;
      if (!positions) continue;
      weightOps++;
      for (const at of positions) {
        const input = node.inputs[at];
        const traced = input ? trace(input) : null;
        if (!traced) continue;
        const known = found.get(traced.source);
        if (known) {
          if (!known.consumers.includes(node)) known.consumers.push(node);
          continue;
        }
        found.set(traced.source, { ...traced, name: traced.source.name, consumers: [node] });
      }
    }
  }
  return { weights: [...found.values()], weightOps };
}

type Traced = Omit<PrunableWeight, 'name' | 'consumers'>;

function trace(input: Value): Traced | null {
  const via: string[] = [];
  let v = input;
  for (;;) {
    const tensor = v.constant;
    if (tensor) {
      if (!FLOAT_SOURCES.has(tensor.dtype)) return null;
      return { source: v, tensor, via, elements: once(() => floatElements(tensor)) };
    }
    const p = v.producer;
    if (!p || (p.domain !== '' && p.domain !== 'ai.onnx') || !p.inputs[0]) return null;
    if (p.opType === 'DequantizeLinear') return dequantized(p, via);
    if (!PASS_THROUGH.has(p.opType)) return null;
    if (p.opType === 'Cast' && !isFloat(p.getInt('to', 0))) return null;
    via.unshift(p.opType);
    v = p.inputs[0];
  }
}

/** DequantizeLinear of a constant quantized tensor with constant scale and zero point, per tensor or per axis. */
function dequantized(dq: Node, via: string[]): Traced | null {
  const [x, scaleValue, zeroValue] = dq.inputs;
  const tensor = x?.constant;
  const scale = scaleValue?.constant;
  const zero = zeroValue ? zeroValue.constant : null;
  if (!tensor || !scale || (zeroValue && !zero) || !QUANTIZED_SOURCES.has(tensor.dtype) || !isFloat(scale.dtype)) return null;
  if (dq.getInt('block_size', 0) !== 0) return null;
  const rank = tensor.dims.length;
  const rawAxis = dq.getInt('axis', 1);
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  const scales = scale.toNumbers();
  const perAxis = scale.size !== 1;
  if (perAxis && (scale.dims.length !== 1 || axis < 0 || axis >= rank || tensor.dims[axis] !== scale.size)) return null;
  const zeros = zero ? zero.toNumbers() : [0];
  if (zeros.length !== 1 && zeros.length !== scales.length) return null;
  return {
    source: x!,
    tensor,
    via: ['DequantizeLinear', ...via],
    elements: once(() => quantizedElements(tensor, scales, zeros, perAxis ? axis : 0)),
  };
}

function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
