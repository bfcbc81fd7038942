/**
 * A graph as JSON plus one weights buffer: what an emitted module carries instead of the ONNX file,
 * so that it needs no protobuf decoder. Tensors live in the weights buffer (8-byte aligned, raw
 * little-endian), except string tensors, which stay in the JSON.
 */
import { ShearsError } from '../../../src/error.js';
import type { Attribute } from '../../../src/ir/attribute.js';
import { DType, rawByteLength } from '../../../src/ir/dtype.js';
import { Graph } from '../../../src/ir/graph.js';
import { Model } from '../../../src/ir/model.js';
import { Tensor } from '../../../src/ir/tensor.js';
import type { ValueType } from '../../../src/ir/types.js';
import { WeightsWriter } from './weights-writer.js';

export interface TensorJson {
  dtype: DType;
  dims: number[];
  /** Byte range in the weights buffer; absent for string tensors, which carry `strings`. */
  offset?: number;
  length?: number;
  strings?: string[];
}

interface ValueJson {
  name: string;
  type?: ValueType;
}

interface NodeJson {
  op: string;
  domain: string;
  name: string;
  inputs: (string | null)[];
  outputs: (string | null)[];
  attributes: { name: string; type: Attribute['type']; value: unknown }[];
}

export interface GraphJson {
  name: string;
  inputs: ValueJson[];
  outputs: string[];
  initializers: { name: string; tensor: TensorJson }[];
  nodes: NodeJson[];
}

export interface ModelJson {
  opsets: [string, number][];
  graph: GraphJson;
}

/** A tensor's entry: its byte range in the weights, or its strings. */
function tensorJson(t: Tensor, w: WeightsWriter): TensorJson {
  if (t.dtype === DType.STRING) return { dtype: t.dtype, dims: [...t.dims], strings: [...t.stringData()] };
  return { dtype: t.dtype, dims: [...t.dims], offset: w.add(t), length: rawByteLength(t.dtype, t.size) };
}

export function modelToJson(model: Model): { json: ModelJson; weights: Uint8Array } {
  const w = new WeightsWriter();
  const json: ModelJson = { opsets: [...model.opsets], graph: graphToJson(model.graph, w) };
  return { json, weights: w.finish() };
}

function graphToJson(g: Graph, w: WeightsWriter): GraphJson {
  return {
    name: g.name,
    inputs: g.inputs.map((v) => (v.type ? { name: v.name, type: v.type } : { name: v.name })),
    outputs: g.outputs.map((v) => v.name),
    initializers: g.initializers.filter((v) => v.initializer).map((v) => ({ name: v.name, tensor: tensorJson(v.initializer!, w) })),
    nodes: g.nodes.map((n) => ({
      op: n.opType,
      domain: n.domain,
      name: n.name,
      inputs: n.inputs.map((v) => v?.name ?? null),
      outputs: n.outputs.map((v) => v?.name ?? null),
      attributes: n.attributes.map((a) => ({ name: a.name, type: a.type, value: attributeValue(a, w) })),
    })),
  };
}

function attributeValue(a: Attribute, w: WeightsWriter): unknown {
  switch (a.type) {
    case 'tensor':
    case 'sparse_tensor':
      return tensorJson(a.value, w);
    case 'tensors':
    case 'sparse_tensors':
      return a.value.map((t) => tensorJson(t, w));
    case 'graph':
      return graphToJson(a.value, w);
    case 'graphs':
      return a.value.map((g) => graphToJson(g, w));
    default:
      return a.value;
  }
}

/** JSON.stringify replacer/reviver pair for what plain JSON loses: bigints and non-finite floats. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { $big: value.toString() };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
  return value;
}

export function jsonReviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.$big === 'string') return BigInt(o.$big);
    if (typeof o.$num === 'string') return Number(o.$num);
  }
  return value;
}

export function modelFromJson(json: ModelJson, weights: Uint8Array): Model {
  const model = new Model(new Map(json.opsets));
  graphFromJson(json.graph, model.graph, weights);
  return model;
}

function tensorFromJson(t: TensorJson, weights: Uint8Array): Tensor {
  if (t.strings) return new Tensor(t.dtype, t.dims, t.strings);
  const end = (t.offset ?? 0) + (t.length ?? 0);
  if (t.offset === undefined || end > weights.length) throw new ShearsError('E_MODEL_INVALID', `the weights file is shorter than the model needs (${end} bytes)`);
  return new Tensor(t.dtype, t.dims, { kind: 'raw', bytes: weights.subarray(t.offset, end) });
}

function graphFromJson(j: GraphJson, g: Graph, weights: Uint8Array): void {
  g.name = j.name;
  for (const v of j.inputs) g.addInput(v.name, v.type);
  for (const i of j.initializers) g.addInitializer(i.name, tensorFromJson(i.tensor, weights));
  const value = (name: string) => {
    const v = g.lookup(name);
    if (!v) throw new ShearsError('E_MODEL_INVALID', `the emitted graph uses '${name}' before defining it`, { tensor: name });
    return v;
  };
  for (const n of j.nodes) {
    const attributes = n.attributes.map((a) => ({ name: a.name, type: a.type, value: attributeFromJson(a.type, a.value, g, weights) }) as Attribute);
    g.addNode({ opType: n.op, domain: n.domain, name: n.name, inputs: n.inputs.map((x) => (x === null ? null : value(x))), outputs: n.outputs, attributes });
  }
  g.outputs = j.outputs.map(value);
}

function attributeFromJson(type: Attribute['type'], v: unknown, parent: Graph, weights: Uint8Array): unknown {
  const sub = (x: GraphJson): Graph => {
    const g = new Graph(parent);
    graphFromJson(x, g, weights);
    return g;
  };
  switch (type) {
    case 'tensor':
    case 'sparse_tensor':
      return tensorFromJson(v as TensorJson, weights);
    case 'tensors':
    case 'sparse_tensors':
      return (v as TensorJson[]).map((t) => tensorFromJson(t, weights));
    case 'graph':
      return sub(v as GraphJson);
    case 'graphs':
      return (v as GraphJson[]).map(sub);
    default:
      return v;
  }
}
