/**
 * Builders for test models. Hostile files are written with onnx-proto directly (or byte by byte),
 * because the IR and the exporter would never produce them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { onnx } from '../../src/onnx/proto.js';
import type { onnx as OnnxTypes } from 'onnx-proto';

export type GraphSpec = OnnxTypes.IGraphProto;
export type TensorSpec = OnnxTypes.ITensorProto;

/** A ModelProto around `graph`, opset 17, IR version 8, unless `extra` says otherwise. */
export function modelBytes(graph: GraphSpec, extra: OnnxTypes.IModelProto = {}): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph, ...extra })).finish();
}

export function floatInfo(name: string, dims: number[]): OnnxTypes.IValueInfoProto {
  return { name, type: { tensorType: { elemType: DType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

export function floatRaw(values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

/** A float initializer `name` with raw_data. */
export function floatTensor(name: string, dims: number[], values: number[]): TensorSpec {
  return { name, dataType: DType.FLOAT, dims, rawData: floatRaw(values) };
}

/** `y = Add(x, w)` where `w` is the given tensor proto: the smallest graph that holds one initializer. */
export function oneInitializerModel(w: TensorSpec, dims = [2]): Uint8Array {
  return modelBytes({
    name: 'g',
    input: [floatInfo('x', dims)],
    output: [floatInfo('y', dims)],
    initializer: [w],
    node: [{ opType: 'Add', name: 'add', input: ['x', w.name ?? 'w'], output: ['y'] }],
  });
}

/** A tensor whose bytes live in `location` (relative to the model folder). */
export function externalTensor(name: string, dims: number[], location: string, offset?: string, length?: string, dataType = DType.FLOAT): TensorSpec {
  const entries = [{ key: 'location', value: location }];
  if (offset !== undefined) entries.push({ key: 'offset', value: offset });
  if (length !== undefined) entries.push({ key: 'length', value: length });
  return { name, dataType, dims, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: entries };
}

/** Encode a protobuf varint (lengths and tags in hand-built messages). */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const field = (number: number, wire: number): number[] => varint((number << 3) | wire);
const text = (s: string): number[] => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];

function concat(parts: (number[] | Uint8Array)[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * GraphProto bytes: a graph holding an If node whose attribute holds a graph … `depth` levels deep,
 * built byte by byte (length prefixes computed inside out) so that 100k levels cost a few megabytes
 * and no recursion here.
 */
function nestedGraphProto(depth: number): Uint8Array {
  // Each level, from inside out: AttributeProto{name, type=GRAPH, g}, NodeProto{op_type, attribute}, GraphProto{node}.
  const heads: ((inner: number) => number[])[] = [
    (inner) => [...field(1, 2), ...text('b'), ...field(20, 0), 5, ...field(6, 2), ...varint(inner)],
    (inner) => [...field(4, 2), ...text('If'), ...field(5, 2), ...varint(inner)],
    (inner) => [...field(1, 2), ...varint(inner)],
  ];
  const innermost = [...field(2, 2), ...text('g')];
  const prefixes: number[][] = [];
  let size = innermost.length;
  for (let level = 0; level < depth; level++) {
    for (const head of heads) {
      const prefix = head(size);
      prefixes.push(prefix);
      size += prefix.length;
    }
  }
  return concat([...prefixes.reverse(), innermost]);
}

/** A ModelProto (ir_version 8) whose main graph nests subgraphs `depth` levels deep. */
export function nestedGraphBytes(depth: number): Uint8Array {
  const graph = nestedGraphProto(depth);
  return concat([[...field(1, 0), 8], field(7, 2), varint(graph.length), graph]);
}

/**
 * A valid small model plus a training_info whose initialization graph nests `depth` levels deep:
 * shears carries training_info through without importing it.
 */
export function nestedTrainingInfoBytes(depth: number): Uint8Array {
  const graph = nestedGraphProto(depth);
  const initialization = [...field(1, 2), ...varint(graph.length)]; // TrainingInfoProto.initialization = 1
  const model = modelBytes({ name: 'g', input: [floatInfo('x', [1])], output: [floatInfo('y', [1])], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] });
  return concat([model, field(20, 2), varint(initialization.length + graph.length), initialization, graph]); // ModelProto.training_info = 20
}

/** A model built with the IR API: `y = Relu(MatMul(x, w) + b)`. */
export function tinyIrModel(): Model {
  const m = new Model();
  const g = m.graph;
  g.name = 'tiny';
  const x = g.addInput('x', tensorType(DType.FLOAT, ['batch', 2]));
  const w = g.addInitializer('w', floatTensorValue([2, 2], [1, 2, 3, 4]));
  const b = g.addInitializer('b', floatTensorValue([2], [0.5, -0.5]));
  const mm = g.addNode({ opType: 'MatMul', name: 'mm', inputs: [x, w], outputs: ['xw'] });
  const add = g.addNode({ opType: 'Add', name: 'add', inputs: [mm.outputs[0], b], outputs: ['sum'] });
  const relu = g.addNode({ opType: 'Relu', name: 'relu', inputs: [add.outputs[0]], outputs: ['y'] });
  g.outputs = [relu.outputs[0]!];
  return m;
}

export function floatTensorValue(dims: number[], values: number[]): Tensor {
  return Tensor.fromNumbers(DType.FLOAT, dims, values);
}

/** A fresh folder under the OS temp dir; remove it with `fs.rmSync(dir, {recursive: true})`. */
export function tempDir(prefix = 'shears-test-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/**
 * A small model that uses the rarer parts of the format at once, for fuzzing: a sparse initializer,
 * a model-local function and its call, metadata, string and int4 tensors, a sequence-typed output.
 */
export function kitchenSinkBytes(): Uint8Array {
  const T = onnx.AttributeProto.AttributeType;
  return modelBytes(
    {
      name: 'sink',
      input: [floatInfo('x', [2, 3])],
      output: [floatInfo('y', [2, 3]), { name: 'seq', type: { sequenceType: { elemType: { tensorType: { elemType: DType.FLOAT } } } } }, { name: 'labels' }],
      initializer: [{ name: 'nibbles', dataType: DType.INT4, dims: [3], int32Data: [0xe1, 0x03] }],
      sparseInitializer: [
        { values: floatTensor('sp', [2], [5, 7]), indices: { name: '', dataType: DType.INT64, dims: [2], int64Data: [1, 5] }, dims: [2, 3] },
      ],
      node: [
        { opType: 'AddTwice', domain: 'local', name: 'call', input: ['x', 'sp'], output: ['y'], attribute: [{ name: 'note', type: T.STRING, s: new TextEncoder().encode('hi') }] },
        { opType: 'SequenceConstruct', name: 'seqc', input: ['y', 'x'], output: ['seq'] },
        {
          opType: 'Constant',
          name: 'labels_const',
          output: ['labels'],
          attribute: [{ name: 'value', type: T.TENSOR, t: { name: 'labels', dataType: DType.STRING, dims: [2], stringData: [new TextEncoder().encode('cat'), new TextEncoder().encode('dog')] } }],
        },
      ],
    },
    {
      opsetImport: [
        { domain: '', version: 17 },
        { domain: 'local', version: 1 },
      ],
      metadataProps: [{ key: 'author', value: 'test' }],
      functions: [
        {
          name: 'AddTwice',
          domain: 'local',
          input: ['a', 'b'],
          output: ['c'],
          attribute: ['note'],
          opsetImport: [{ domain: '', version: 17 }],
          node: [
            { opType: 'Add', input: ['a', 'b'], output: ['ab'] },
            { opType: 'Add', input: ['ab', 'b'], output: ['c'] },
          ],
        },
      ],
    },
  );
}
