import { ShearsError } from '../error.js';
import type { Attribute } from '../ir/attribute.js';
import { DType } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { Tensor } from '../ir/tensor.js';
import type { Dim, ValueType } from '../ir/types.js';
import type { Value } from '../ir/value.js';
import { onnx, toLong } from './proto.js';

export interface ExternalDataOptions {
  /** Tensors with at least this many bytes go to the side file. */
  threshold: number;
  /** Side file name, relative to the model file. */
  location: string;
}

export interface EncodeOptions {
  externalData?: ExternalDataOptions;
}

export interface EncodedModel {
  bytes: Uint8Array;
  /** Side files to write next to the model: location → chunks in order. */
  sideFiles: Map<string, Uint8Array[]>;
}

const utf8 = new TextEncoder();

/** Chunks of external data are aligned so that a reader can map them without copying. */
const EXTERNAL_ALIGNMENT = 64;

export function encodeModel(model: Model, options: EncodeOptions = {}): EncodedModel {
  const exporter = new Exporter(options);
  const proto = onnx.ModelProto.create({
    irVersion: toLong(model.irVersion) as number,
    opsetImport: opsetProtos(model.opsets),
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    domain: model.domain,
    modelVersion: toLong(model.modelVersion) as number,
    docString: model.docString,
    graph: exporter.graph(model.graph),
    metadataProps: model.metadata.map(([key, value]) => ({ key, value })),
    trainingInfo: model.trainingInfo.map((b) => onnx.TrainingInfoProto.decode(b)),
    functions: model.functions.map((f) =>
      onnx.FunctionProto.create({
        name: f.name,
        domain: f.domain,
        input: f.body.inputs.map((v) => v.name),
        output: f.body.outputs.map((v) => v.name),
        attribute: f.attributes,
        node: f.body.nodes.map((n) => exporter.node(n)),
        opsetImport: opsetProtos(f.opsets),
        docString: f.docString,
      }),
    ),
  });
  let bytes: Uint8Array;
  try {
    bytes = onnx.ModelProto.encode(proto).finish();
  } catch (e) {
    throw new ShearsError('E_IO', `cannot encode the model: ${(e as Error).message}; models over 2 GB need external data (--external-data)`);
  }
  return { bytes, sideFiles: exporter.sideFiles };
}

export function encodeTensor(tensor: Tensor): Uint8Array {
  return onnx.TensorProto.encode(new Exporter({}).tensor(tensor)).finish();
}

function opsetProtos(opsets: Map<string, number>) {
  return [...opsets].map(([domain, version]) => ({ domain, version: toLong(version) as number }));
}

class Exporter {
  readonly sideFiles = new Map<string, Uint8Array[]>();
  private sideOffset = 0;

  constructor(private readonly options: EncodeOptions) {}

  graph(g: Graph): InstanceType<typeof onnx.GraphProto> {
    const declared = new Set<Value>([...g.inputs, ...g.outputs]);
    const valueInfo: InstanceType<typeof onnx.ValueInfoProto>[] = [];
    for (const n of g.nodes) {
      for (const v of n.outputs) if (v && v.type && !declared.has(v)) valueInfo.push(this.valueInfo(v));
    }
    const dense = g.initializers.filter((v) => v.initializer!.storageKind !== 'sparse');
    const sparse = g.initializers.filter((v) => v.initializer!.storageKind === 'sparse');
    return onnx.GraphProto.create({
      name: g.name,
      docString: g.docString,
      input: g.inputs.map((v) => this.valueInfo(v)),
      output: g.outputs.map((v) => this.valueInfo(v)),
      initializer: dense.map((v) => this.tensor(v.initializer!, v.name)),
      sparseInitializer: sparse.map((v) => this.sparseTensor(v.initializer!, v.name)),
      node: g.nodes.map((n) => this.node(n)),
      valueInfo,
    });
  }

  node(n: Node): InstanceType<typeof onnx.NodeProto> {
    return onnx.NodeProto.create({
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      input: n.inputs.map((v) => v?.name ?? ''),
      output: n.outputs.map((v) => v?.name ?? ''),
      attribute: n.attributes.map((a) => this.attribute(a)),
      docString: n.docString,
    });
  }

  private valueInfo(v: Value): InstanceType<typeof onnx.ValueInfoProto> {
    return onnx.ValueInfoProto.create({ name: v.name, docString: v.docString, ...(v.type ? { type: this.type(v.type) } : {}) });
  }

  type(t: ValueType): InstanceType<typeof onnx.TypeProto> {
    const shape = (s: Dim[] | undefined) =>
      s === undefined
        ? {}
        : { shape: { dim: s.map((d) => (d === null ? {} : typeof d === 'number' ? { dimValue: toLong(d) as number } : { dimParam: d })) } };
    const nested = (x: ValueType | undefined) => (x ? { elemType: this.type(x) } : {});
    switch (t.kind) {
      case 'tensor':
        return onnx.TypeProto.create({ tensorType: { elemType: t.dtype, ...shape(t.shape) } });
      case 'sparse_tensor':
        return onnx.TypeProto.create({ sparseTensorType: { elemType: t.dtype, ...shape(t.shape) } });
      case 'sequence':
        return onnx.TypeProto.create({ sequenceType: nested(t.elem) });
      case 'optional':
        return onnx.TypeProto.create({ optionalType: nested(t.elem) });
      case 'map':
        return onnx.TypeProto.create({ mapType: { keyType: t.key, ...(t.value ? { valueType: this.type(t.value) } : {}) } });
    }
  }

  private attribute(a: Attribute): InstanceType<typeof onnx.AttributeProto> {
    const T = onnx.AttributeProto.AttributeType;
    // ref_attr_name belongs in function bodies only; onnxruntime rejects a graph attribute that carries one, even empty.
    const base = { name: a.name, ...(a.refAttrName ? { refAttrName: a.refAttrName } : {}), ...(a.docString ? { docString: a.docString } : {}) };
    const types = (list: (ValueType | undefined)[]) => list.map((t) => (t ? this.type(t) : onnx.TypeProto.create()));
    switch (a.type) {
      case 'float':
        return onnx.AttributeProto.create({ ...base, type: T.FLOAT, f: a.value });
      case 'int':
        return onnx.AttributeProto.create({ ...base, type: T.INT, i: toLong(a.value) as number });
      case 'string':
        return onnx.AttributeProto.create({ ...base, type: T.STRING, s: utf8.encode(a.value) });
      case 'tensor':
        return onnx.AttributeProto.create({ ...base, type: T.TENSOR, t: this.tensor(a.value) });
      case 'graph':
        return onnx.AttributeProto.create({ ...base, type: T.GRAPH, g: this.graph(a.value) });
      case 'sparse_tensor':
        return onnx.AttributeProto.create({ ...base, type: T.SPARSE_TENSOR, sparseTensor: this.sparseTensor(a.value) });
      case 'type_proto':
        return onnx.AttributeProto.create({ ...base, type: T.TYPE_PROTO, ...(a.value ? { tp: this.type(a.value) } : {}) });
      case 'floats':
        return onnx.AttributeProto.create({ ...base, type: T.FLOATS, floats: a.value });
      case 'ints':
        return onnx.AttributeProto.create({ ...base, type: T.INTS, ints: a.value.map((x) => toLong(x) as number) });
      case 'strings':
        return onnx.AttributeProto.create({ ...base, type: T.STRINGS, strings: a.value.map((s) => utf8.encode(s)) });
      case 'tensors':
        return onnx.AttributeProto.create({ ...base, type: T.TENSORS, tensors: a.value.map((t) => this.tensor(t)) });
      case 'graphs':
        return onnx.AttributeProto.create({ ...base, type: T.GRAPHS, graphs: a.value.map((g) => this.graph(g)) });
      case 'sparse_tensors':
        return onnx.AttributeProto.create({ ...base, type: T.SPARSE_TENSORS, sparseTensors: a.value.map((t) => this.sparseTensor(t)) });
      case 'type_protos':
        return onnx.AttributeProto.create({ ...base, type: T.TYPE_PROTOS, typeProtos: types(a.value) });
    }
  }

  tensor(t: Tensor, name = t.name): InstanceType<typeof onnx.TensorProto> {
    const base = { name, dataType: t.dtype, dims: t.dims.map((d) => toLong(d) as number) };
    if (t.dtype === DType.STRING) return onnx.TensorProto.create({ ...base, stringData: t.stringData().map((s) => utf8.encode(s)) });
    const external = this.options.externalData;
    if (external && t.byteLength >= external.threshold) {
      const bytes = t.rawBytes();
      const chunks = this.sideFiles.get(external.location) ?? [];
      this.sideFiles.set(external.location, chunks);
      const pad = (EXTERNAL_ALIGNMENT - (this.sideOffset % EXTERNAL_ALIGNMENT)) % EXTERNAL_ALIGNMENT;
      if (pad) chunks.push(new Uint8Array(pad));
      const offset = this.sideOffset + pad;
      chunks.push(bytes);
      this.sideOffset = offset + bytes.byteLength;
      return onnx.TensorProto.create({
        ...base,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: external.location },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(bytes.byteLength) },
        ],
      });
    }
    return onnx.TensorProto.create({ ...base, rawData: t.rawBytes() });
  }

  private sparseTensor(t: Tensor, name = t.name): InstanceType<typeof onnx.SparseTensorProto> {
    const source = t.source;
    if (source.kind !== 'sparse') throw new ShearsError('E_MODEL_INVALID', `tensor '${name}' is not sparse`, { tensor: name });
    return onnx.SparseTensorProto.create({
      values: this.tensor(source.values, name),
      indices: this.tensor(source.indices),
      dims: t.dims.map((d) => toLong(d) as number),
    });
  }
}
