import { DType } from '../../src/ir/dtype.js';
import type { Node } from '../../src/ir/node.js';
import { Tensor } from '../../src/ir/tensor.js';

/**
 * The per-channel values of a constant that broadcasts against an output of `rank` dims whose
 * channel axis is 1 (axis 0 when rank is 1): one number per channel, or undefined when the constant
 * varies along another axis or does not fit.
 */
export function channelVector(t: Tensor | null | undefined, channels: number, rank: number): number[] | undefined {
  if (!t || t.dims.length > rank || t.dtype === DType.STRING) return undefined;
  const channelAxis = (rank === 1 ? 0 : 1) - (rank - t.dims.length);
  let along = 1;
  for (let i = 0; i < t.dims.length; i++) {
    if (i === channelAxis) along = t.dims[i];
    else if (t.dims[i] !== 1) return undefined;
  }
  if (along !== channels && along !== 1) return undefined;
  const values = t.toNumbers();
  return along === 1 ? new Array<number>(channels).fill(values[0]) : values;
}

/** A copy of the node's weight (input 1) with every output channel c multiplied by s[c]; undefined if the layout does not fit. */
export function scaleOutputChannels(node: Node, s: readonly number[]): Tensor | undefined {
  const w = node.inputs[1]?.constant;
  if (!w || (w.dtype !== DType.FLOAT && w.dtype !== DType.DOUBLE)) return undefined;
  const layout = channelLayout(node, w.dims, s.length);
  if (!layout) return undefined;
  const src = w.data as Float32Array | Float64Array;
  const out = w.dtype === DType.DOUBLE ? new Float64Array(src.length) : new Float32Array(src.length);
  const { blocks, channelOf, run, stride } = layout;
  for (let b = 0, at = 0; b < blocks; b++) {
    if (stride === 0) {
      const k = s[channelOf(b)];
      for (const end = at + run; at < end; at++) out[at] = src[at] * k;
    } else {
      for (let r = 0; r < run; r++, at++) out[at] = src[at] * s[r];
    }
  }
  return new Tensor(w.dtype, w.dims, out);
}

/**
 * The weight as `blocks` runs of `run` elements: either each run belongs to one output channel
 * (`stride` 0, channel `channelOf(block)`; Conv, ConvTranspose, transposed Gemm weights) or the
 * elements of a run are the channels in order (`stride` 1; [K, M] weights of Gemm and MatMul).
 */
function channelLayout(node: Node, dims: readonly number[], channels: number): { blocks: number; run: number; stride: 0 | 1; channelOf: (block: number) => number } | undefined {
  const size = dims.reduce((a, b) => a * b, 1);
  const inner = (from: number): number => dims.slice(from).reduce((a, b) => a * b, 1);
  const columns = { blocks: size / channels, run: channels, stride: 1 as const, channelOf: () => 0 };
  switch (node.opType) {
    case 'Conv':
      if (dims.length < 3 || dims[0] !== channels) return undefined;
      return { blocks: channels, run: inner(1), stride: 0, channelOf: (b) => b };
    case 'ConvTranspose': {
      // [C, M/group, k...]: block (c, j) holds output channel group(c) * M/group + j.
      const group = node.getInt('group', 1);
      const perGroup = dims[1];
      if (dims.length < 3 || perGroup * group !== channels || dims[0] % group !== 0) return undefined;
      const inPerGroup = dims[0] / group;
      return { blocks: dims[0] * perGroup, run: inner(2), stride: 0, channelOf: (b) => Math.floor(Math.floor(b / perGroup) / inPerGroup) * perGroup + (b % perGroup) };
    }
    case 'Gemm':
      if (dims.length !== 2) return undefined;
      if (node.getInt('transB', 0)) return dims[0] === channels ? { blocks: channels, run: dims[1], stride: 0, channelOf: (b) => b } : undefined;
      return dims[1] === channels ? columns : undefined;
    case 'MatMul':
      return dims.length === 2 && dims[1] === channels ? columns : undefined;
    default:
      return undefined;
  }
}

/**
 * Make input `index` of the node the constant `t`: the initializer is replaced in place when this
 * node is its only user, else a new initializer is added (a shared weight stays as it was).
 */
export function setConstantInput(node: Node, index: number, t: Tensor): void {
  const v = node.inputs[index];
  if (v && v.initializer && !v.isGraphInput && !v.isGraphOutput && v.graph === node.graph && v.users.length === 1) {
    t.name = v.name;
    v.initializer = t;
    return;
  }
  const g = node.graph;
  const base = v ? v.name : `${node.name || node.outputs[0]?.name || node.opType}_bias`;
  node.setInput(index, g.addInitializer(g.uniqueName(base), t));
}
