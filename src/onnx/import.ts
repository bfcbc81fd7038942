import * as path from 'node:path';
import { ShearsError, printable, quoted } from '../error.js';
import type { Attribute, Int } from '../ir/attribute.js';
import { DType, arrayConstructor, dtypeName, isKnownDType, isPacked4Bit, lanes, rawByteLength, TensorData } from '../ir/dtype.js';
import { FunctionDef, Model } from '../ir/model.js';
import { Graph } from '../ir/graph.js';
import { Tensor, TensorStorage } from '../ir/tensor.js';
import type { Dim, ValueType } from '../ir/types.js';
import { topologicalOrder } from '../ir/topo.js';
import { alignRawDataInPlace } from './align-in-place.js';
import { protobufProblem, readModelFile, sniffFormat } from './diagnose-bytes.js';
import { externalReader } from './external-data.js';
import { int64, nestsDeeperThan, onnx, protoReader } from './proto.js';
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

/** Types nest too (sequence of map of sequence …); no real model needs more than a handful. */
export const MAX_TYPE_DEPTH = 32;

/**
 * Messages nested in any way (subgraphs, types, training_info): enough for the limits above with
 * room to spare, far below where protobufjs's recursive encoder would overflow the stack.
 */
export const MAX_MESSAGE_DEPTH = 512;

/**
 * A sparse tensor's dense size is not backed by bytes in the file, so it gets a fixed ceiling: the
 * 2 GiB a protobuf can hold, the most a dense initializer could ever have been.
 */
export const MAX_SPARSE_DENSE_BYTES = 2 ** 31;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Read and decode a model file. The importer owns the bytes it read, so weights whose raw_data is
 * misaligned are moved into place there (align-in-place.ts) rather than copied: every weight is a
 * view on the one buffer read from the file, which is shared memory (readModelFile), so that worker
 * threads read weights where they lie.
 */
export function loadModel(file: string, options: ImportOptions = {}): Model {
  return decodeBytes(readModelFile(file), { baseDir: options.baseDir ?? path.dirname(path.resolve(file)) }, true);
}

/**
 * Decode ONNX bytes. Weight bytes stay views on `bytes` (keep it alive as long as the model) where
 * aligned; `bytes` is never written.
 */
export function decodeModel(bytes: Uint8Array, options: ImportOptions = {}): Model {
  return decodeBytes(bytes, options, false);
}

function decodeBytes(bytes: Uint8Array, options: ImportOptions, owned: boolean): Model {
  const notOnnx = (why: string): ShearsError => new ShearsError('E_PARSE', `not an ONNX model: ${sniffFormat(bytes) ?? why}`);
  if (bytes.length === 0) throw new ShearsError('E_PARSE', 'not an ONNX model: the file is empty');
  const proto = decodeProto(() => onnx.ModelProto.decode(protoReader(bytes)) as unknown as ModelProto, 'model', bytes);
  if (nestsDeeperThan(proto, MAX_MESSAGE_DEPTH)) {
    throw new ShearsError('E_PARSE', `not a valid ONNX model file: its messages are nested more than ${MAX_MESSAGE_DEPTH} deep (corrupt or hostile file)`);
  }
  if (!proto.graph || (proto.graph.node.length === 0 && proto.graph.input.length === 0 && proto.graph.output.length === 0)) {
    throw notOnnx('the file has no graph');
  }
  const irVersion = Number(int64(proto.irVersion));
  if (!(irVersion >= 1 && irVersion <= 64)) throw notOnnx(`ir_version ${irVersion} is not a known version`);
  return onePrintableLine(() => new Importer(options, owned ? bytes : null).model(proto, irVersion));
}

export function decodeTensor(bytes: Uint8Array, options: ImportOptions = {}): Tensor {
  const proto = decodeProto(() => onnx.TensorProto.decode(protoReader(bytes)) as unknown as TensorProto, 'tensor', bytes);
  return onePrintableLine(() => new Importer(options, null).tensor(proto));
}

function decodeProto<T>(decode: () => T, what: string, bytes: Uint8Array): T {
  try {
    return decode();
  } catch (e) {
    const hint = sniffFormat(bytes);
    if (hint) throw new ShearsError('E_PARSE', `not an ONNX ${what}: ${hint}`);
    throw new ShearsError('E_PARSE', `not a valid ONNX ${what} file: ${protobufProblem(e)}`);
  }
}

/**
 * Messages built inside the IR (a cycle, a duplicate name) quote names from the file verbatim; a
 * hostile name with newlines must not turn the one-line error into several.
 */
function onePrintableLine<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof ShearsError && printable(e.message) !== e.message) {
      throw new ShearsError(e.code, printable(e.message), e.subject, { cause: e });
    }
    throw e;
  }
}

function opsetMap(entries: OpsetProto[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const e of entries) {
    const version = int64(e.version);
    if (typeof version !== 'number' || version < 0) {
      throw new ShearsError('E_MODEL_INVALID', `opset import of domain ${quoted(e.domain || 'ai.onnx')} has invalid version ${version}`);
    }
    map.set(e.domain === 'ai.onnx' ? '' : e.domain, version);
  }
  return map;
}

class Importer {
  /** `file`: the bytes decoded, when the importer may move weights within them to align them. */
  constructor(private readonly options: ImportOptions, private readonly file: Uint8Array | null) {}

  model(p: ModelProto, irVersion: number): Model {
    const m = new Model(opsetMap(p.opsetImport));
    m.irVersion = irVersion;
    m.producerName = p.producerName;
    m.producerVersion = p.producerVersion;
    m.domain = p.domain;
    const modelVersion = int64(p.modelVersion);
    if (typeof modelVersion !== 'number') throw new ShearsError('E_MODEL_INVALID', `model_version ${modelVersion} is beyond what shears can keep exactly (2^53)`);
    m.modelVersion = modelVersion;
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
    for (const name of p.input) this.defineInput(body, name);
    this.nodesInto(p.node, body);
    body.outputs = p.output.map((name) => this.resolve(body, name, `function ${quoted(p.name)} output`));
    return { name: p.name, domain: p.domain, attributes: [...p.attribute], opsets, body, docString: p.docString };
  }

  graphInto(p: GraphProto, g: Graph): void {
    g.name = p.name;
    g.docString = p.docString;
    for (const vi of p.input) {
      this.defineInput(g, vi.name, this.type(vi.type, `graph input ${quoted(vi.name)}`)).docString = vi.docString;
    }
    for (const t of p.initializer) this.defineInitializer(g, this.tensor(t));
    for (const s of p.sparseInitializer) this.defineInitializer(g, this.sparseTensor(s, 'sparse initializer'));
    this.nodesInto(p.node, g, p.valueInfo);
    g.outputs = p.output.map((vi) => {
      const v = this.resolve(g, vi.name, `graph ${quoted(g.name)} output`);
      if (!v.type && g.owns(v)) v.type = this.type(vi.type, `graph output ${quoted(vi.name)}`);
      if (!v.docString) v.docString = vi.docString;
      return v;
    });
  }

  private defineInput(g: Graph, name: string, type?: ValueType): ReturnType<Graph['addInput']> {
    const existing = g.lookup(name);
    if (existing && g.owns(existing)) throw new ShearsError('E_MODEL_INVALID', `graph input ${quoted(name)} is listed twice`, { tensor: name });
    return g.addInput(name, type);
  }

  /**
   * Older files list an initializer also as a graph input (its default value). Only inputs and
   * initializers exist when this runs, so a value that already holds a tensor is the one conflict.
   */
  private defineInitializer(g: Graph, tensor: Tensor): void {
    const existing = g.lookup(tensor.name);
    if (existing && g.owns(existing) && existing.initializer) {
      throw new ShearsError('E_MODEL_INVALID', `initializer ${quoted(tensor.name)} is defined twice`, { tensor: tensor.name });
    }
    g.addInitializer(tensor.name, tensor);
  }

  private nodesInto(protos: NodeProto[], g: Graph, valueInfo: ValueInfoProto[] = []): void {
    for (const np of protos) {
      if (np.opType === '') throw new ShearsError('E_MODEL_INVALID', `node ${quoted(np.name)} has no op_type`, { node: np.name });
      for (const out of np.output) {
        if (out === '') continue;
        const existing = g.lookup(out);
        if (existing && g.owns(existing)) {
          const other = existing.producer ? 'another node' : 'a graph input or initializer';
          throw new ShearsError('E_MODEL_INVALID', `${quoted(out)} is defined twice (output of ${nodeLabel(np)} and ${other})`, { tensor: out, node: np.name });
        }
        g.createValue(out);
      }
    }
    for (const vi of valueInfo) {
      const v = g.lookup(vi.name);
      if (v && g.owns(v) && !v.type) {
        v.type = this.type(vi.type, `value_info ${quoted(vi.name)}`);
        v.docString = vi.docString;
      }
    }
    for (const np of protos) {
      const node = g.addNode({
        opType: np.opType,
        domain: np.domain === 'ai.onnx' ? '' : np.domain,
        name: np.name,
        inputs: [],
        outputs: np.output.map((o) => (o === '' ? null : g.lookup(o)!)),
        attributes: np.attribute.map((a) => this.attribute(a, g, `attribute ${quoted(a.name)} of ${nodeLabel(np)}`)),
      });
      node.docString = np.docString;
      node.setInputs(np.input.map((name) => (name === '' ? null : this.resolve(g, name, `input of ${nodeLabel(np)}`))));
    }
    g.nodes = topologicalOrder(g);
  }

  private resolve(g: Graph, name: string, role: string): ReturnType<Graph['createValue']> {
    const v = g.lookup(name);
    if (!v) throw new ShearsError('E_MODEL_INVALID', `${quoted(name)} (${role}) is not defined: no node, graph input or initializer produces it`, { tensor: name });
    return v;
  }

  private attribute(a: AttributeProto, g: Graph, where: string): Attribute {
    const base = { name: a.name, ...(a.refAttrName ? { refAttrName: a.refAttrName } : {}), ...(a.docString ? { docString: a.docString } : {}) };
    const T = onnx.AttributeProto.AttributeType;
    const missing = (what: string): ShearsError => new ShearsError('E_MODEL_INVALID', `${where} has type ${what} but holds no ${what.toLowerCase()}`);
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
        if (!a.t) throw missing('TENSOR');
        return { ...base, type: 'tensor', value: this.tensor(a.t, where) };
      case T.GRAPH:
        if (!a.g) throw missing('GRAPH');
        return { ...base, type: 'graph', value: this.subgraph(a.g, g, where) };
      case T.SPARSE_TENSOR:
        if (!a.sparseTensor) throw missing('SPARSE_TENSOR');
        return { ...base, type: 'sparse_tensor', value: this.sparseTensor(a.sparseTensor, where) };
      case T.TYPE_PROTO:
        return { ...base, type: 'type_proto', value: this.type(a.tp, where) };
      case T.FLOATS:
        return { ...base, type: 'floats', value: [...a.floats] };
      case T.INTS:
        return { ...base, type: 'ints', value: a.ints.map((x) => int64(x) as Int) };
      case T.STRINGS:
        return { ...base, type: 'strings', value: a.strings.map((s) => utf8.decode(s)) };
      case T.TENSORS:
        return { ...base, type: 'tensors', value: a.tensors.map((t) => this.tensor(t, where)) };
      case T.GRAPHS:
        return { ...base, type: 'graphs', value: a.graphs.map((sg) => this.subgraph(sg, g, where)) };
      case T.SPARSE_TENSORS:
        return { ...base, type: 'sparse_tensors', value: a.sparseTensors.map((s) => this.sparseTensor(s, where)) };
      case T.TYPE_PROTOS:
        return { ...base, type: 'type_protos', value: a.typeProtos.map((t) => this.type(t, where)) };
      default:
        throw new ShearsError('E_MODEL_INVALID', `${where} has unknown attribute type ${a.type}`);
    }
  }

  private subgraph(p: GraphProto, parent: Graph, where: string): Graph {
    const g = new Graph(parent);
    if (g.depth > MAX_SUBGRAPH_DEPTH) throw new ShearsError('E_MODEL_INVALID', `${where}: subgraphs are nested more than ${MAX_SUBGRAPH_DEPTH} deep`);
    this.graphInto(p, g);
    return g;
  }

  /** A declared type. Element types are checked here so that every later stage can trust them. */
  type(t: TypeProto | null | undefined, where: string, depth = 0): ValueType | undefined {
    if (!t) return undefined;
    if (depth > MAX_TYPE_DEPTH) throw new ShearsError('E_MODEL_INVALID', `${where}: its type nests more than ${MAX_TYPE_DEPTH} deep`);
    const dtype = (code: number): DType => {
      if (!isKnownDType(code)) throw new ShearsError('E_MODEL_INVALID', `${where} has unknown element type ${code}`);
      return code;
    };
    const inner = (x: TypeProto | null | undefined): ValueType | undefined => this.type(x, where, depth + 1);
    if (t.tensorType) return { kind: 'tensor', dtype: dtype(t.tensorType.elemType), ...shapeOf(t.tensorType.shape) };
    if (t.sparseTensorType) return { kind: 'sparse_tensor', dtype: dtype(t.sparseTensorType.elemType), ...shapeOf(t.sparseTensorType.shape) };
    if (t.sequenceType) return { kind: 'sequence', ...optional('elem', inner(t.sequenceType.elemType)) };
    if (t.mapType) return { kind: 'map', key: dtype(t.mapType.keyType), ...optional('value', inner(t.mapType.valueType)) };
    if (t.optionalType) return { kind: 'optional', ...optional('elem', inner(t.optionalType.elemType)) };
    return undefined;
  }

  /** A dense tensor. Every size it claims is checked against the bytes present before anything is allocated. */
  tensor(p: TensorProto, context?: string): Tensor {
    const name = p.name;
    const where = context === undefined ? `tensor ${quoted(name)}` : name ? `tensor ${quoted(name)} (${context})` : context;
    const invalid = (why: string): ShearsError => new ShearsError('E_MODEL_INVALID', `${where} ${why}`, { tensor: name });
    const dtype = p.dataType;
    if (!isKnownDType(dtype) || dtype === DType.UNDEFINED) throw invalid(`has unknown data type ${dtype}`);
    const dims = p.dims.map((d) => {
      const n = int64(d);
      if (typeof n !== 'number' || n < 0) throw invalid(`has invalid dimension ${n}`);
      return n;
    });
    let count = 1;
    for (const d of dims) count *= d;
    if (!Number.isSafeInteger(count)) throw invalid(`claims shape [${dims.join(',')}]: more elements than any file can hold`);
    const claim = (have: string): ShearsError => invalid(`claims shape [${dims.join(',')}] (${count} ${dtypeName(dtype)} elements) but ${have}`);

    if (p.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      return this.externalTensor(p, dtype, dims, count, where);
    }
    if (dtype === DType.STRING) {
      if (p.stringData.length !== count) throw claim(`holds ${p.stringData.length} strings`);
      return new Tensor(dtype, dims, p.stringData.map((s) => utf8.decode(s)), name);
    }
    const expected = rawByteLength(dtype, count);
    if (p.rawData && p.rawData.length > 0) {
      if (p.rawData.length !== expected) throw claim(`raw_data holds ${p.rawData.length} bytes, not ${expected}`);
      // The moved bytes replace the field, so that the proto never shows the old offset again.
      if (this.file) p.rawData = alignRawDataInPlace(p.rawData, arrayConstructor(dtype).BYTES_PER_ELEMENT, this.file) ?? p.rawData;
      return new Tensor(dtype, dims, { kind: 'raw', bytes: p.rawData }, name);
    }
    // 4-bit types pack two elements into each int32_data entry, as they do in raw_data.
    const entries = isPacked4Bit(dtype) ? expected : count * lanes(dtype);
    return new Tensor(dtype, dims, typedFieldData(p, dtype, entries, claim), name);
  }

  private externalTensor(p: TensorProto, dtype: DType, dims: number[], count: number, where: string): Tensor {
    const name = p.name;
    const bad = (why: string): ShearsError => new ShearsError('E_EXTERNAL_DATA', `${where} ${why}`, { tensor: name });
    const entries = new Map(p.externalData.map((e) => [e.key, e.value]));
    const location = entries.get('location');
    if (location === undefined) throw bad('is marked external but has no location');
    if (this.options.baseDir === undefined) {
      throw bad(`keeps its data in ${quoted(location)}; load the model from a file path so that the file can be found`);
    }
    if (dtype === DType.STRING) throw bad('is a string tensor; those cannot be stored externally');
    const expected = rawByteLength(dtype, count);
    const parse = (key: string, fallback: number): number => {
      const text = entries.get(key);
      if (text === undefined) return fallback;
      if (!/^\d{1,16}$/.test(text)) throw bad(`has external data ${key} ${quoted(text)}, which is not a byte count`);
      return Number(text);
    };
    const ref = { location, offset: parse('offset', 0), length: parse('length', expected) };
    const read = externalReader(this.options.baseDir, ref, expected, where, name);
    const storage: TensorStorage = { kind: 'external', ...ref, read };
    return new Tensor(dtype, dims, storage, name);
  }

  sparseTensor(p: SparseTensorProto, context: string): Tensor {
    const label = p.values?.name ? `sparse tensor ${quoted(p.values.name)} (${context})` : context;
    const invalid = (why: string): ShearsError => new ShearsError('E_MODEL_INVALID', `${label} ${why}`, { tensor: p.values?.name ?? '' });
    if (!p.values || !p.indices) throw invalid(`has no ${p.values ? 'indices' : 'values'}`);
    const values = this.tensor(p.values, `values of ${label}`);
    const indices = this.tensor(p.indices, `indices of ${label}`);
    const dims = p.dims.map((d) => int64(d));
    if (dims.some((d) => typeof d !== 'number' || d < 0)) throw invalid(`has invalid dims [${dims.join(',')}]`);
    const dense = dims.reduce<number>((n, d) => n * Number(d), 1);
    // A dense string array holds one reference (8 bytes) per element.
    const denseBytes = values.dtype === DType.STRING ? dense * 8 : rawByteLength(values.dtype, dense);
    if (!(denseBytes <= MAX_SPARSE_DENSE_BYTES)) {
      throw invalid(`has dims [${dims.join(',')}] that would need ${denseBytes} bytes when densified; shears holds sparse tensors of up to ${MAX_SPARSE_DENSE_BYTES} dense bytes`);
    }
    const nnz = values.size;
    const okIndexType = indices.dtype === DType.INT64 || indices.dtype === DType.INT32 || indices.dtype === DType.INT16 || indices.dtype === DType.INT8;
    const flat = indices.dims.length === 1 && indices.dims[0] === nnz;
    const coords = indices.dims.length === 2 && indices.dims[0] === nnz && indices.dims[1] === dims.length;
    if (values.dims.length !== 1 || !okIndexType || !(flat || coords)) {
      throw invalid(`has values [${values.dims}] and ${dtypeName(indices.dtype)} indices [${indices.dims}] that do not describe ${nnz} entries of [${dims}]`);
    }
    // Densifying writes at these positions, so each must lie inside the tensor.
    const at = indices.toNumbers();
    const rank = flat ? 1 : dims.length;
    for (let i = 0; i < at.length; i++) {
      const limit = flat ? dense : Number(dims[i % rank]);
      if (!(at[i] >= 0 && at[i] < limit)) throw invalid(`has index ${at[i]} outside [0, ${limit})`);
    }
    return new Tensor(values.dtype, dims as number[], { kind: 'sparse', values, indices }, values.name);
  }
}

function nodeLabel(np: NodeProto): string {
  const op = np.domain && np.domain !== 'ai.onnx' ? `${np.domain}::${np.opType}` : np.opType;
  return np.name ? `${printable(op)} node ${quoted(np.name)}` : `${printable(op)} node`;
}

/** Declared shapes are hints; a dim_value no tensor could have (negative, beyond 2^53) is read as unknown. */
function shapeOf(shape: ShapeProto | null | undefined): { shape?: Dim[] } {
  if (!shape) return {};
  return {
    shape: shape.dim.map((d): Dim => {
      if (d.value === 'dimParam') return d.dimParam;
      if (d.value !== 'dimValue') return null;
      const n = int64(d.dimValue);
      return typeof n === 'number' && n >= 0 ? n : null;
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
    const raw = source[i] as number | LongLike;
    const v = typeof raw === 'number' ? raw : int64(raw);
    (out as unknown as (number | bigint)[])[i] = big ? (dtype === DType.UINT64 ? BigInt.asUintN(64, BigInt(v)) : BigInt(v)) : Number(v);
  }
  return out;
}
