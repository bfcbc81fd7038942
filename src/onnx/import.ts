import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShearsError } from '../error.js';
import type { Attribute, Int } from '../ir/attribute.js';
import { DType, arrayConstructor, dtypeName, isKnownDType, lanes, rawByteLength, TensorData } from '../ir/dtype.js';
import { FunctionDef, Model } from '../ir/model.js';
import { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { Tensor, TensorStorage } from '../ir/tensor.js';
import type { Dim, ValueType } from '../ir/types.js';
import { topologicalOrder } from '../ir/topo.js';
import { externalReader } from './external-data.js';
import { int64, onnx } from './proto.js';
import type { onnx as onnxTypes } from 'onnx-proto';

type LongLike = { low: number; high: number; unsigned?: boolean };
/**
 * What protobufjs's decode really returns: scalars and repeated fields always present (defaults
 * live on the prototype), nested messages present or null.
 */
type Fix<V> = 0 extends 1 & V
  ? number | LongLike
  : [NonNullable<V>] extends [Array<infer U>]
  ? Elem<U>[]
  : [NonNullable<V>] extends [Uint8Array]
    ? Uint8Array
    : number extends NonNullable<V>
      ? [NonNullable<V>] extends [number]
        ? number
        : number | LongLike
      : [NonNullable<V>] extends [string | boolean]
        ? NonNullable<V>
        : Decoded<NonNullable<V>> | null;
type Elem<U> = 0 extends 1 & U ? number | LongLike : number extends U ? ([U] extends [number] ? number : number | LongLike) : [U] extends [string | boolean | Uint8Array] ? U : Decoded<U>;
type Decoded<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]-?: Fix<T[K]> };

type ModelProto = Decoded<onnxTypes.IModelProto> & { graph: GraphProto | null };
type GraphProto = Decoded<onnxTypes.IGraphProto>;
type NodeProto = Decoded<onnxTypes.INodeProto>;
type TensorProto = Decoded<onnxTypes.ITensorProto>;
type SparseTensorProto = Decoded<onnxTypes.ISparseTensorProto>;
type AttributeProto = Decoded<onnxTypes.IAttributeProto>;
type TypeProto = Decoded<onnxTypes.ITypeProto>;
type ValueInfoProto = Decoded<onnxTypes.IValueInfoProto>;
type FunctionProto = Decoded<onnxTypes.IFunctionProto>;
type OpsetProto = Decoded<onnxTypes.IOperatorSetIdProto>;
type ShapeProto = Decoded<onnxTypes.ITensorShapeProto>;

export interface ImportOptions {
  /** Folder that external-data locations are relative to; set by `loadModel`. */
  baseDir?: string;
}

/** Subgraphs nest If/Loop/Scan bodies; a hostile file could nest them until the stack breaks. */
export const MAX_SUBGRAPH_DEPTH = 64;

const utf8 = new TextDecoder('utf-8');

export function loadModel(file: string, options: ImportOptions = {}): Model {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ShearsError('E_IO', `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: file });
  }
  return decodeModel(bytes, { baseDir: options.baseDir ?? path.dirname(path.resolve(file)) });
}

/** Decode ONNX bytes. Weight bytes stay views on `bytes` (keep it alive as long as the model). */
export function decodeModel(bytes: Uint8Array, options: ImportOptions = {}): Model {
  const proto = decodeProto(() => onnx.ModelProto.decode(bytes) as unknown as ModelProto, 'model');
  if (!proto.graph || (proto.graph.node.length === 0 && proto.graph.input.length === 0 && proto.graph.output.length === 0)) {
    throw new ShearsError('E_PARSE', 'not an ONNX model: the file has no graph');
  }
  const irVersion = Number(int64(proto.irVersion));
  if (!(irVersion >= 1 && irVersion <= 64)) throw new ShearsError('E_PARSE', `not an ONNX model: ir_version ${irVersion} is not a known version`);
  return new Importer(options).model(proto, irVersion);
}

export function decodeTensor(bytes: Uint8Array, options: ImportOptions = {}): Tensor {
  const proto = decodeProto(() => onnx.TensorProto.decode(bytes) as unknown as TensorProto, 'tensor');
  return new Importer(options).tensor(proto);
}

function decodeProto<T>(decode: () => T, what: string): T {
  try {
    return decode();
  } catch (e) {
    const reason = e instanceof RangeError && /call stack/.test(e.message) ? 'nested too deeply' : (e as Error).message;
    throw new ShearsError('E_PARSE', `not a valid ONNX ${what} file (truncated or corrupt): ${reason}`);
  }
}

function opsetMap(entries: OpsetProto[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const e of entries) map.set(e.domain === 'ai.onnx' ? '' : e.domain, Number(int64(e.version)));
  return map;
}

class Importer {
  constructor(private readonly options: ImportOptions) {}

  model(p: ModelProto, irVersion: number): Model {
    const m = new Model(opsetMap(p.opsetImport));
    m.irVersion = irVersion;
    m.producerName = p.producerName;
    m.producerVersion = p.producerVersion;
    m.domain = p.domain;
    m.modelVersion = Number(int64(p.modelVersion));
    m.docString = p.docString;
    m.metadata = p.metadataProps.map((e) => [e.key, e.value]);
    this.graphInto(p.graph!, m.graph);
    m.functions = p.functions.map((f) => this.function(f));
    m.trainingInfo = p.trainingInfo.map((t) => onnx.TrainingInfoProto.encode(t as onnxTypes.ITrainingInfoProto).finish());
    return m;
  }

  function(p: FunctionProto): FunctionDef {
    const opsets = opsetMap(p.opsetImport);
    const body = new Graph(null, opsets);
    body.name = p.name;
    for (const name of p.input) body.addInput(name);
    this.nodesInto(p.node, body);
    body.outputs = p.output.map((name) => this.resolve(body, name, `function '${p.name}' output`));
    return { name: p.name, domain: p.domain, attributes: [...p.attribute], opsets, body, docString: p.docString };
  }

  graphInto(p: GraphProto, g: Graph): void {
    if (g.depth > MAX_SUBGRAPH_DEPTH) throw new ShearsError('E_MODEL_INVALID', `subgraphs are nested more than ${MAX_SUBGRAPH_DEPTH} deep`);
    g.name = p.name;
    g.docString = p.docString;
    for (const vi of p.input) {
      g.addInput(vi.name, this.type(vi.type)).docString = vi.docString;
    }
    for (const t of p.initializer) g.addInitializer(t.name, this.tensor(t));
    for (const s of p.sparseInitializer) {
      const tensor = this.sparseTensor(s);
      g.addInitializer(tensor.name, tensor);
    }
    this.nodesInto(p.node, g, p.valueInfo);
    g.outputs = p.output.map((vi) => {
      const v = this.resolve(g, vi.name, `graph '${g.name}' output`);
      if (!v.type && g.owns(v)) v.type = this.type(vi.type);
      if (!v.docString) v.docString = vi.docString;
      return v;
    });
  }

  private nodesInto(protos: NodeProto[], g: Graph, valueInfo: ValueInfoProto[] = []): void {
    for (const np of protos) {
      for (const out of np.output) {
        if (out === '') continue;
        const existing = g.lookup(out);
        if (existing && g.owns(existing)) {
          throw new ShearsError('E_MODEL_INVALID', `'${out}' is defined twice (output of ${np.opType} node '${np.name}' and ${existing.producer ? 'another node' : 'a graph input or initializer'})`, { tensor: out, node: np.name });
        }
        g.createValue(out);
      }
    }
    for (const vi of valueInfo) {
      const v = g.lookup(vi.name);
      if (v && g.owns(v) && !v.type) {
        v.type = this.type(vi.type);
        v.docString = vi.docString;
      }
    }
    const nodes: Node[] = [];
    for (const np of protos) {
      const node = g.addNode({
        opType: np.opType,
        domain: np.domain === 'ai.onnx' ? '' : np.domain,
        name: np.name,
        inputs: [],
        outputs: np.output.map((o) => (o === '' ? null : g.lookup(o)!)),
        attributes: np.attribute.map((a) => this.attribute(a, g)),
      });
      node.docString = np.docString;
      node.setInputs(np.input.map((name) => (name === '' ? null : this.resolve(g, name, `input of ${np.opType} node '${np.name}'`))));
      nodes.push(node);
    }
    g.nodes = topologicalOrder(g);
  }

  private resolve(g: Graph, name: string, role: string): ReturnType<Graph['createValue']> {
    const v = g.lookup(name);
    if (!v) throw new ShearsError('E_MODEL_INVALID', `'${name}' (${role}) is not defined: no node, graph input or initializer produces it`, { tensor: name });
    return v;
  }

  private attribute(a: AttributeProto, g: Graph): Attribute {
    const base = { name: a.name, ...(a.refAttrName ? { refAttrName: a.refAttrName } : {}), ...(a.docString ? { docString: a.docString } : {}) };
    const T = onnx.AttributeProto.AttributeType;
    let type = a.type;
    if (type === T.UNDEFINED) type = guessAttributeType(a);
    switch (type) {
      case T.FLOAT:
        return { ...base, type: 'float', value: a.f };
      case T.INT:
        return { ...base, type: 'int', value: int64(a.i) };
      case T.STRING:
        return { ...base, type: 'string', value: utf8.decode(a.s) };
      case T.TENSOR:
        return { ...base, type: 'tensor', value: this.tensor(a.t ?? emptyTensor()) };
      case T.GRAPH:
        return { ...base, type: 'graph', value: this.subgraph(a.g ?? (new onnx.GraphProto() as unknown as GraphProto), g) };
      case T.SPARSE_TENSOR:
        return { ...base, type: 'sparse_tensor', value: this.sparseTensor(a.sparseTensor ?? (new onnx.SparseTensorProto() as unknown as SparseTensorProto)) };
      case T.TYPE_PROTO:
        return { ...base, type: 'type_proto', value: this.type(a.tp) };
      case T.FLOATS:
        return { ...base, type: 'floats', value: [...a.floats] };
      case T.INTS:
        return { ...base, type: 'ints', value: a.ints.map((x) => int64(x) as Int) };
      case T.STRINGS:
        return { ...base, type: 'strings', value: a.strings.map((s) => utf8.decode(s)) };
      case T.TENSORS:
        return { ...base, type: 'tensors', value: a.tensors.map((t) => this.tensor(t)) };
      case T.GRAPHS:
        return { ...base, type: 'graphs', value: a.graphs.map((sg) => this.subgraph(sg, g)) };
      case T.SPARSE_TENSORS:
        return { ...base, type: 'sparse_tensors', value: a.sparseTensors.map((s) => this.sparseTensor(s)) };
      case T.TYPE_PROTOS:
        return { ...base, type: 'type_protos', value: a.typeProtos.map((t) => this.type(t)) };
      default:
        throw new ShearsError('E_MODEL_INVALID', `attribute '${a.name}' has unknown type ${a.type}`);
    }
  }

  private subgraph(p: GraphProto, parent: Graph): Graph {
    const g = new Graph(parent);
    this.graphInto(p, g);
    return g;
  }

  type(t: TypeProto | null | undefined): ValueType | undefined {
    if (!t) return undefined;
    if (t.tensorType) return { kind: 'tensor', dtype: t.tensorType.elemType as DType, ...shapeOf(t.tensorType.shape) };
    if (t.sparseTensorType) return { kind: 'sparse_tensor', dtype: t.sparseTensorType.elemType as DType, ...shapeOf(t.sparseTensorType.shape) };
    if (t.sequenceType) return { kind: 'sequence', ...optional('elem', this.type(t.sequenceType.elemType)) };
    if (t.mapType) return { kind: 'map', key: t.mapType.keyType as DType, ...optional('value', this.type(t.mapType.valueType)) };
    if (t.optionalType) return { kind: 'optional', ...optional('elem', this.type(t.optionalType.elemType)) };
    return undefined;
  }

  tensor(p: TensorProto): Tensor {
    const name = p.name;
    const dtype = p.dataType;
    if (!isKnownDType(dtype) || dtype === DType.UNDEFINED) {
      throw new ShearsError('E_MODEL_INVALID', `tensor '${name}' has unknown data type ${dtype}`, { tensor: name });
    }
    const dims = p.dims.map((d) => {
      const n = int64(d);
      if (typeof n !== 'number' || n < 0) throw new ShearsError('E_MODEL_INVALID', `tensor '${name}' has invalid dimension ${n}`, { tensor: name });
      return n;
    });
    let count = 1;
    for (const d of dims) count *= d;
    if (!Number.isSafeInteger(count)) throw new ShearsError('E_MODEL_INVALID', `tensor '${name}' claims ${count} elements`, { tensor: name });
    const claim = (have: string): ShearsError =>
      new ShearsError('E_MODEL_INVALID', `tensor '${name}' claims shape [${dims.join(',')}] (${count} ${dtypeName(dtype)} elements) but ${have}`, { tensor: name });

    if (p.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      return this.externalTensor(p, dtype, dims, count);
    }
    if (dtype === DType.STRING) {
      if (p.stringData.length !== count) throw claim(`holds ${p.stringData.length} strings`);
      return new Tensor(dtype, dims, p.stringData.map((s) => utf8.decode(s)), name);
    }
    const expected = rawByteLength(dtype, count);
    if (p.rawData && p.rawData.length > 0) {
      if (p.rawData.length !== expected) throw claim(`raw_data holds ${p.rawData.length} bytes, not ${expected}`);
      return new Tensor(dtype, dims, { kind: 'raw', bytes: p.rawData }, name);
    }
    const data = typedFieldData(p, dtype, count * lanes(dtype), claim);
    return new Tensor(dtype, dims, data, name);
  }

  private externalTensor(p: TensorProto, dtype: DType, dims: number[], count: number): Tensor {
    const name = p.name;
    const entries = new Map(p.externalData.map((e) => [e.key, e.value]));
    const location = entries.get('location');
    if (location === undefined) throw new ShearsError('E_EXTERNAL_DATA', `tensor '${name}' is marked external but has no location`, { tensor: name });
    if (this.options.baseDir === undefined) {
      throw new ShearsError('E_EXTERNAL_DATA', `tensor '${name}' keeps its data in '${location}'; load the model from a file path so it can be found`, { tensor: name });
    }
    if (dtype === DType.STRING) throw new ShearsError('E_EXTERNAL_DATA', `string tensor '${name}' cannot be stored externally`, { tensor: name });
    const expected = rawByteLength(dtype, count);
    const parse = (key: string, fallback: number): number => {
      const text = entries.get(key);
      if (text === undefined) return fallback;
      if (!/^\d+$/.test(text)) throw new ShearsError('E_EXTERNAL_DATA', `tensor '${name}': external data ${key} '${text}' is not a byte count`, { tensor: name });
      return Number(text);
    };
    const ref = { location, offset: parse('offset', 0), length: parse('length', expected) };
    const read = externalReader(this.options.baseDir, ref, expected, name);
    const storage: TensorStorage = { kind: 'external', ...ref, read };
    return new Tensor(dtype, dims, storage, name);
  }

  sparseTensor(p: SparseTensorProto): Tensor {
    const values = this.tensor(p.values ?? emptyTensor());
    const indices = this.tensor(p.indices ?? emptyTensor());
    const name = values.name;
    const dims = p.dims.map((d) => Number(int64(d)));
    if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ShearsError('E_MODEL_INVALID', `sparse tensor '${name}' has invalid dims`, { tensor: name });
    const nnz = values.size;
    const okIndexType = indices.dtype === DType.INT64 || indices.dtype === DType.INT32 || indices.dtype === DType.INT16 || indices.dtype === DType.INT8;
    const flat = indices.dims.length === 1 && indices.dims[0] === nnz;
    const coords = indices.dims.length === 2 && indices.dims[0] === nnz && indices.dims[1] === dims.length;
    if (values.dims.length !== 1 || !okIndexType || !(flat || coords)) {
      throw new ShearsError('E_MODEL_INVALID', `sparse tensor '${name}': values [${values.dims}] and ${dtypeName(indices.dtype)} indices [${indices.dims}] do not describe ${nnz} entries of [${dims}]`, { tensor: name });
    }
    return new Tensor(values.dtype, dims, { kind: 'sparse', values, indices }, name);
  }
}

function shapeOf(shape: ShapeProto | null | undefined): { shape?: Dim[] } {
  if (!shape) return {};
  return {
    shape: shape.dim.map((d): Dim => {
      if (d.value === 'dimValue') return Number(int64(d.dimValue));
      if (d.value === 'dimParam') return d.dimParam;
      return null;
    }),
  };
}

function optional<K extends string>(key: K, value: ValueType | undefined): { [k in K]?: ValueType } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: ValueType };
}

function guessAttributeType(a: AttributeProto): number {
  const T = onnx.AttributeProto.AttributeType;
  if (a.floats.length) return T.FLOATS;
  if (a.ints.length) return T.INTS;
  if (a.strings.length) return T.STRINGS;
  if (a.tensors.length) return T.TENSORS;
  if (a.graphs.length) return T.GRAPHS;
  if (a.t) return T.TENSOR;
  if (a.g) return T.GRAPH;
  if (a.s && a.s.length) return T.STRING;
  if (a.f) return T.FLOAT;
  return T.INT;
}

/** Read the typed repeated fields (float_data, int32_data, …) that ONNX uses when raw_data is absent. */
function typedFieldData(p: TensorProto, dtype: DType, length: number, claim: (have: string) => ShearsError): TensorData {
  const pick = (): { source: ArrayLike<unknown>; field: string } => {
    switch (dtype) {
      case DType.FLOAT:
      case DType.COMPLEX64:
        return { source: p.floatData, field: 'float_data' };
      case DType.DOUBLE:
      case DType.COMPLEX128:
        return { source: p.doubleData, field: 'double_data' };
      case DType.INT64:
        return { source: p.int64Data, field: 'int64_data' };
      case DType.UINT32:
      case DType.UINT64:
        return { source: p.uint64Data, field: 'uint64_data' };
      default:
        return { source: p.int32Data, field: 'int32_data' };
    }
  };
  const { source, field } = pick();
  if (source.length !== length) throw claim(`${field} holds ${source.length} values`);
  const Ctor = arrayConstructor(dtype);
  const out = new Ctor(length);
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  for (let i = 0; i < length; i++) {
    const raw = source[i] as number | { low: number; high: number };
    const v = typeof raw === 'number' ? raw : int64(raw);
    (out as unknown as (number | bigint)[])[i] = big ? (dtype === DType.UINT64 ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)) : Number(v);
  }
  return out;
}

function emptyTensor(): TensorProto {
  return new onnx.TensorProto() as unknown as TensorProto;
}
