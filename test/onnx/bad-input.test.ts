/**
 * Hostile and broken files: each must fail with one ShearsError whose code and one-line message say
 * what is wrong and where, and nothing may be allocated from a size the file has not backed with bytes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, ShearsError } from '../../src/error.js';
import { DType } from '../../src/ir/dtype.js';
import { printModel } from '../../src/ir/print.js';
import { verifyModel } from '../../src/ir/verify.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel, decodeTensor, loadModel, MAX_MESSAGE_DEPTH, MAX_SUBGRAPH_DEPTH, MAX_TYPE_DEPTH } from '../../src/onnx/import.js';
import { onnx } from '../../src/onnx/proto.js';
import type { onnx as OnnxTypes } from 'onnx-proto';
import {
  externalTensor,
  floatInfo,
  floatRaw,
  floatTensor,
  modelBytes,
  nestedGraphBytes,
  nestedTrainingInfoBytes,
  oneInitializerModel,
  tempDir,
} from '../helpers/build-model.js';

/** Run `work`, expect a ShearsError with `code` whose single-line message contains every fragment. */
function expectShearsError(work: () => unknown, code: ErrorCode, ...fragments: (string | RegExp)[]): ShearsError {
  let caught: unknown;
  try {
    work();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a ShearsError').toBeInstanceOf(ShearsError);
  const error = caught as ShearsError;
  expect(error.code, error.message).toBe(code);
  expect(error.message).not.toMatch(/[\n\r]/);
  for (const f of fragments) {
    if (typeof f === 'string') expect(error.message).toContain(f);
    else expect(error.message).toMatch(f);
  }
  return error;
}

/**
 * Run `work` and check that it did not allocate a large buffer. rss alone would miss it (zeroed
 * pages are mapped lazily); the ArrayBuffer total counts every typed array at its full size.
 */
function expectNoBigAllocation(work: () => void): void {
  const before = process.memoryUsage();
  work();
  const after = process.memoryUsage();
  expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(64 * 1024 * 1024);
  expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
}

const digits = new Uint8Array(fs.readFileSync('models/digits-cnn.onnx'));

describe('files that are not ONNX', () => {
  it('an empty file', () => {
    expectShearsError(() => decodeModel(new Uint8Array(0)), 'E_PARSE', 'empty');
  });

  it('random bytes', () => {
    let seed = 12345;
    for (let trial = 0; trial < 20; trial++) {
      const bytes = new Uint8Array(1000);
      for (let i = 0; i < bytes.length; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        bytes[i] = seed >>> 24;
      }
      expectShearsError(() => decodeModel(bytes), 'E_PARSE', 'not ');
    }
  });

  it('a text file', () => {
    const text = new TextEncoder().encode('# README\n\nThis is not a model.\nIt has several lines of text.\n');
    expectShearsError(() => decodeModel(text), 'E_PARSE', 'not an ONNX model', 'text');
  });

  it('a JPEG and a PNG image', () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expectShearsError(() => decodeModel(jpeg), 'E_PARSE', 'JPEG');
    expectShearsError(() => decodeModel(png), 'E_PARSE', 'PNG');
  });

  it('a model truncated at several points', () => {
    for (const cut of [1, 10, 100, 1000, digits.length >> 1, digits.length - 100, digits.length - 1]) {
      expectShearsError(() => decodeModel(digits.subarray(0, cut)), 'E_PARSE', `it ends at byte ${cut}`, 'truncated');
    }
  });

  it('a TensorProto file that is cut short', () => {
    const tensor = onnx.TensorProto.encode(floatTensor('t', [4], [1, 2, 3, 4])).finish();
    expectShearsError(() => decodeTensor(tensor.subarray(0, tensor.length - 3)), 'E_PARSE', 'truncated');
  });

  it('a path that does not exist, and a folder', () => {
    expectShearsError(() => loadModel('/nonexistent/model.onnx'), 'E_IO', '/nonexistent/model.onnx', 'no such file');
    expectShearsError(() => loadModel('models'), 'E_IO', 'folder');
    expectShearsError(() => loadModel('/dev/zero'), 'E_IO', 'device');
  });

  it('an empty file on disk', () => {
    const dir = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'empty.onnx'), '');
      expectShearsError(() => loadModel(path.join(dir, 'empty.onnx')), 'E_PARSE', 'empty');
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('tensor sizes the bytes do not back', () => {
  it('dims that claim 10^12 elements with 16 bytes of raw_data fail fast without allocating', () => {
    const bytes = oneInitializerModel({ name: 'huge', dataType: DType.FLOAT, dims: [1_000_000, 1_000_000], rawData: new Uint8Array(16) }, [1_000_000, 1_000_000]);
    const start = performance.now();
    expectNoBigAllocation(() => expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'huge'", '1000000000000', 'raw_data holds 16 bytes'));
    expect(performance.now() - start).toBeLessThan(500);
  });

  // 2^28 floats (1 GiB) could be allocated, so a check that ran after the allocation would show here.
  it('dims that claim an allocatable 1 GiB with 16 bytes of raw_data or 4 float_data values', () => {
    const dims = [2 ** 14, 2 ** 14];
    const raw = oneInitializerModel({ name: 'big', dataType: DType.FLOAT, dims, rawData: new Uint8Array(16) });
    const typed = oneInitializerModel({ name: 'big', dataType: DType.FLOAT, dims, floatData: [1, 2, 3, 4] });
    expectNoBigAllocation(() => expectShearsError(() => decodeModel(raw), 'E_MODEL_INVALID', "'big'", 'raw_data holds 16 bytes'));
    expectNoBigAllocation(() => expectShearsError(() => decodeModel(typed), 'E_MODEL_INVALID', "'big'", 'float_data holds 4 values'));
  });

  it('dims whose product overflows 2^53', () => {
    const bytes = oneInitializerModel({ name: 'vast', dataType: DType.FLOAT, dims: [2 ** 40, 2 ** 40], rawData: new Uint8Array(16) });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'vast'", 'more elements than any file can hold');
  });

  it('a negative dim', () => {
    const bytes = oneInitializerModel({ name: 'neg', dataType: DType.FLOAT, dims: [-1, 4], rawData: new Uint8Array(16) });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'neg'", 'invalid dimension -1');
  });

  it('typed-field counts that disagree with the shape', () => {
    expectShearsError(() => decodeModel(oneInitializerModel({ name: 'f', dataType: DType.FLOAT, dims: [3], floatData: [1, 2] })), 'E_MODEL_INVALID', "'f'", 'float_data holds 2 values');
    expectShearsError(() => decodeModel(oneInitializerModel({ name: 'i', dataType: DType.INT64, dims: [2], int64Data: [1, 2, 3] })), 'E_MODEL_INVALID', "'i'", 'int64_data holds 3 values');
    const strings = { name: 's', dataType: DType.STRING, dims: [3], stringData: [new Uint8Array([0x61])] };
    expectShearsError(() => decodeModel(oneInitializerModel(strings)), 'E_MODEL_INVALID', "'s'", 'holds 1 strings');
  });

  it('raw_data of the wrong length', () => {
    expectShearsError(() => decodeModel(oneInitializerModel({ name: 'r', dataType: DType.FLOAT, dims: [2], rawData: new Uint8Array(7) })), 'E_MODEL_INVALID', "'r'", 'raw_data holds 7 bytes, not 8');
  });

  it('an unknown data type', () => {
    expectShearsError(() => decodeModel(oneInitializerModel({ name: 'u', dataType: 99, dims: [2], rawData: new Uint8Array(8) })), 'E_MODEL_INVALID', "'u'", 'unknown data type 99');
  });

  it('a sparse tensor whose dense form would be 4 TB', () => {
    const bytes = modelBytes({
      name: 'g',
      output: [floatInfo('sp', [1_000_000, 1_000_000])],
      sparseInitializer: [{ values: floatTensor('sp', [1], [5]), indices: { name: '', dataType: DType.INT64, dims: [1], int64Data: [3] }, dims: [1_000_000, 1_000_000] }],
    });
    expectNoBigAllocation(() => expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'sp'", 'densified'));
  });

  const sparseModel = (indices: { dims: number[]; values: number[] }) =>
    modelBytes({
      name: 'g',
      output: [{ name: 'sp' }],
      sparseInitializer: [{ values: floatTensor('sp', [2], [5, 7]), indices: { name: '', dataType: DType.INT64, dims: indices.dims, int64Data: indices.values }, dims: [2, 3] }],
    });

  it('sparse indices, flat and per coordinate, are checked against the dense shape', () => {
    const dense = [0, 5, 0, 0, 0, 7];
    expect(decodeModel(sparseModel({ dims: [2], values: [1, 5] })).graph.lookup('sp')!.initializer!.toNumbers()).toEqual(dense);
    expect(decodeModel(sparseModel({ dims: [2, 2], values: [0, 1, 1, 2] })).graph.lookup('sp')!.initializer!.toNumbers()).toEqual(dense);
    expectShearsError(() => decodeModel(sparseModel({ dims: [2], values: [1, 6] })), 'E_MODEL_INVALID', "'sp'", 'index 6 outside [0, 6)');
    expectShearsError(() => decodeModel(sparseModel({ dims: [2], values: [-1, 2] })), 'E_MODEL_INVALID', "'sp'", 'index -1');
    expectShearsError(() => decodeModel(sparseModel({ dims: [2, 2], values: [0, 3, 1, 2] })), 'E_MODEL_INVALID', "'sp'", 'index 3 outside [0, 3)');
    expectShearsError(() => decodeModel(sparseModel({ dims: [3], values: [0, 1, 2] })), 'E_MODEL_INVALID', "'sp'", 'do not describe 2 entries');
  });

  it('a Constant whose value attribute holds no tensor names the node', () => {
    const bytes = modelBytes({
      name: 'g',
      output: [floatInfo('c', [1])],
      node: [{ opType: 'Constant', name: 'const0', output: ['c'], attribute: [{ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR }] }],
    });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "attribute 'value' of Constant node 'const0'", 'holds no tensor');
  });
});

describe('broken graphs', () => {
  const x = floatInfo('x', [2]);
  const y = floatInfo('y', [2]);

  it('a node input that nothing defines (a missing initializer)', () => {
    const bytes = modelBytes({ name: 'g', input: [x], output: [y], node: [{ opType: 'Add', name: 'add', input: ['x', 'w'], output: ['y'] }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'w'", "Add node 'add'", 'not defined');
  });

  it('a graph output that nothing defines', () => {
    const bytes = modelBytes({ name: 'g', input: [x], output: [floatInfo('z', [2])], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'z'", 'output', 'not defined');
  });

  it('a cycle between two nodes', () => {
    const bytes = modelBytes({
      name: 'g',
      input: [x],
      output: [y],
      node: [
        { opType: 'Add', name: 'first', input: ['x', 'b'], output: ['a'] },
        { opType: 'Relu', name: 'second', input: ['a'], output: ['b'] },
        { opType: 'Identity', name: 'out', input: ['a'], output: ['y'] },
      ],
    });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', 'cycle', /node '(first|second)'/);
  });

  it('a node that consumes its own output', () => {
    const bytes = modelBytes({ name: 'g', input: [x], output: [y], node: [{ opType: 'Add', name: 'self', input: ['x', 'y'], output: ['y'] }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', 'cycle', "'self'");
  });

  it('a value defined by two nodes', () => {
    const bytes = modelBytes({
      name: 'g',
      input: [x],
      output: [y],
      node: [
        { opType: 'Relu', name: 'one', input: ['x'], output: ['y'] },
        { opType: 'Neg', name: 'two', input: ['x'], output: ['y'] },
      ],
    });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'y' is defined twice", "Neg node 'two'");
  });

  it('a node output that redefines a graph input', () => {
    const bytes = modelBytes({ name: 'g', input: [x], output: [x], node: [{ opType: 'Relu', name: 'r', input: ['x'], output: ['x'] }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "'x' is defined twice", 'graph input');
  });

  it('two initializers and two graph inputs with one name', () => {
    const twice = modelBytes({ name: 'g', input: [x], output: [y], initializer: [floatTensor('w', [2], [1, 2]), floatTensor('w', [2], [3, 4])], node: [{ opType: 'Add', input: ['x', 'w'], output: ['y'] }] });
    expectShearsError(() => decodeModel(twice), 'E_MODEL_INVALID', "initializer 'w' is defined twice");
    const inputs = modelBytes({ name: 'g', input: [x, x], output: [y], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] });
    expectShearsError(() => decodeModel(inputs), 'E_MODEL_INVALID', "graph input 'x' is listed twice");
  });

  it('an initializer that is also a graph input still loads (older ONNX files do this)', () => {
    const bytes = modelBytes({ name: 'g', input: [x, floatInfo('w', [2])], output: [y], initializer: [floatTensor('w', [2], [1, 2])], node: [{ opType: 'Add', input: ['x', 'w'], output: ['y'] }] });
    const model = decodeModel(bytes);
    expect(model.graph.lookup('w')!.isGraphInput).toBe(true);
    expect(model.graph.lookup('w')!.initializer!.toNumbers()).toEqual([1, 2]);
  });

  it('a node without op_type', () => {
    const bytes = modelBytes({ name: 'g', input: [x], output: [y], node: [{ opType: '', name: 'nameless', input: ['x'], output: ['y'] }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "node 'nameless' has no op_type");
  });

  it('an unknown element type in a declared type', () => {
    const bytes = modelBytes({ name: 'g', input: [{ name: 'x', type: { tensorType: { elemType: 77 } } }], output: [y], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "graph input 'x'", 'unknown element type 77');
  });

  it('an unknown attribute type', () => {
    const bytes = modelBytes({ name: 'g', input: [x], output: [y], node: [{ opType: 'Relu', name: 'r', input: ['x'], output: ['y'], attribute: [{ name: 'alpha', type: 42 as never }] }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "attribute 'alpha' of Relu node 'r'", 'unknown attribute type 42');
  });

  it('an opset version and a model_version that cannot be held exactly', () => {
    const opset = modelBytes({ name: 'g', input: [x], output: [y], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] }, { opsetImport: [{ domain: '', version: -3 }] });
    expectShearsError(() => decodeModel(opset), 'E_MODEL_INVALID', 'opset import', 'invalid version -3');
    const version = modelBytes({ name: 'g', input: [x], output: [y], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] }, { modelVersion: '9223372036854775807' as never });
    expectShearsError(() => decodeModel(version), 'E_MODEL_INVALID', 'model_version 9223372036854775807');
  });

  it('names with newlines and control characters stay on one line', () => {
    const bytes = modelBytes({ name: 'g', input: [x], output: [y], node: [{ opType: 'Add', name: 'evil\nnode', input: ['x', 'w\r\n\u001b[31m'], output: ['y'] }] });
    const error = expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', 'not defined');
    expect(error.message).toContain('\\u000a');
    expect(error.message).not.toContain('\u001b');
  });

  it('a cycle between nodes with hostile names stays on one line', () => {
    const bytes = modelBytes({
      name: 'g',
      input: [x],
      output: [y],
      node: [
        { opType: 'Add', name: 'a\nb', input: ['x', 'q'], output: ['p'] },
        { opType: 'Relu', name: 'c\nd', input: ['p'], output: ['q'] },
        { opType: 'Identity', input: ['p'], output: ['y'] },
      ],
    });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', 'cycle');
  });
});

// Regressions from fuzzing: odd input that is not an error must load, print, and read back the same.
describe('odd but valid input', () => {
  const roundTrips = (bytes: Uint8Array): string => {
    const model = decodeModel(bytes);
    expect(verifyModel(model)).toEqual([]);
    const text = printModel(model);
    expect(printModel(decodeModel(encodeModel(model).bytes))).toBe(text);
    return text;
  };

  it('a name with invalid UTF-8 reads as U+FFFD and stays the same after a round trip', () => {
    const bytes = modelBytes({ name: 'g', input: [floatInfo('x', [2])], output: [floatInfo('y', [2])], node: [{ opType: 'Relu', name: 'AQZ', input: ['x'], output: ['y'] }] });
    const at = Buffer.from(bytes).indexOf('AQZ');
    bytes[at + 1] = 0xff;
    expect(roundTrips(bytes)).toContain('"A\ufffdZ"');
  });

  it('a negative dim_value in a declared shape is read as unknown', () => {
    const input = { name: 'x', type: { tensorType: { elemType: DType.FLOAT, shape: { dim: [{ dimValue: -1 }, { dimValue: 3 }] } } } };
    const bytes = modelBytes({ name: 'g', input: [input], output: [{ name: 'y' }], node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] });
    expect(roundTrips(bytes)).toContain('%x: float32[?,3]');
  });

  it('int4 values in int32_data are packed two to an entry, as in raw_data', () => {
    // [1, -2, 3] packs to 0xE1 (1 | (-2 & 15) << 4) and 0x03.
    const bytes = modelBytes({ name: 'g', output: [{ name: 'q' }], initializer: [{ name: 'q', dataType: DType.INT4, dims: [3], int32Data: [0xe1, 0x03] }] });
    roundTrips(bytes);
    expect(Array.from(decodeModel(bytes).graph.lookup('q')!.initializer!.rawBytes())).toEqual([0xe1, 0x03]);
  });

  it('INT64_MAX in an int attribute stays exact', () => {
    const bytes = modelBytes({
      name: 'g',
      input: [floatInfo('x', [4])],
      output: [{ name: 'y' }],
      node: [{ opType: 'Slice', input: ['x'], output: ['y'], attribute: [{ name: 'ends', type: onnx.AttributeProto.AttributeType.INT, i: '9223372036854775807' as never }] }],
    });
    expect(roundTrips(bytes)).toContain('ends=9223372036854775807');
  });
});

describe('nesting attacks', () => {
  it(`subgraphs nested ${MAX_SUBGRAPH_DEPTH} deep load, one more is refused`, () => {
    const model = decodeModel(nestedGraphBytes(MAX_SUBGRAPH_DEPTH));
    expect([...model.graph.allGraphs()].length).toBe(MAX_SUBGRAPH_DEPTH + 1);
    expectShearsError(() => decodeModel(nestedGraphBytes(MAX_SUBGRAPH_DEPTH + 1)), 'E_MODEL_INVALID', `nested more than ${MAX_SUBGRAPH_DEPTH} deep`, "If node");
  });

  it('100,000 nested GraphProtos fail as a ShearsError, not a RangeError', () => {
    expectShearsError(() => decodeModel(nestedGraphBytes(100_000)), 'E_PARSE', 'nested too deeply');
  });

  // Found by probing depths: around 2,100 levels protobufjs still decodes, but re-encoding the
  // training_info (which shears carries through unimported) overflowed the stack with a RangeError.
  it('a training_info nested 2,100 deep is refused before anything recurses over it', () => {
    expectShearsError(() => decodeModel(nestedTrainingInfoBytes(2_100)), 'E_PARSE', `nested more than ${MAX_MESSAGE_DEPTH} deep`);
    expect(decodeModel(nestedTrainingInfoBytes(3)).trainingInfo).toHaveLength(1);
  });

  it('a declared type nested deeper than the limit', () => {
    let type: OnnxTypes.ITypeProto = { tensorType: { elemType: DType.FLOAT } };
    for (let i = 0; i <= MAX_TYPE_DEPTH; i++) type = { sequenceType: { elemType: type } };
    const bytes = modelBytes({ name: 'g', input: [{ name: 's', type }], output: [{ name: 's' }] });
    expectShearsError(() => decodeModel(bytes), 'E_MODEL_INVALID', "graph input 's'", `nests more than ${MAX_TYPE_DEPTH} deep`);
  });
});

describe('external data that leaves the model folder or the file', () => {
  let root: string;
  let modelDir: string;
  const secret = [9, 9, 9, 9];

  beforeAll(() => {
    root = tempDir();
    modelDir = path.join(root, 'model');
    fs.mkdirSync(path.join(modelDir, 'sub'), { recursive: true });
    fs.mkdirSync(path.join(root, 'outside'));
    fs.writeFileSync(path.join(root, 'outside', 'secret.bin'), floatRaw(secret));
    fs.writeFileSync(path.join(root, 'x'), floatRaw(secret));
    fs.writeFileSync(path.join(modelDir, 'weights.bin'), floatRaw([1, 2, 3, 4]));
    fs.symlinkSync(path.join(root, 'outside', 'secret.bin'), path.join(modelDir, 'link.bin'));
    fs.symlinkSync(path.join(root, 'outside'), path.join(modelDir, 'linkdir'));
    fs.writeFileSync(path.join(modelDir, 'shared.bin'), floatRaw(secret));
    fs.linkSync(path.join(modelDir, 'shared.bin'), path.join(root, 'outside', 'hardlink-twin.bin'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Write a model whose initializer `w` points at `location` and load it from its folder. */
  function loadWith(location: string, offset?: string, length?: string, dims = [4]): () => unknown {
    const file = path.join(modelDir, 'model.onnx');
    fs.writeFileSync(file, oneInitializerModel(externalTensor('w', dims, location, offset, length), dims));
    return () => loadModel(file);
  }

  it('a well-formed reference loads (the control case)', () => {
    const model = loadWith('weights.bin')() as ReturnType<typeof loadModel>;
    expect(model.graph.lookup('w')!.initializer!.toNumbers()).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['/etc/passwd', 'absolute'],
    ['C:\\x', 'absolute'],
    ['c:x', 'absolute'],
    ['\\\\server\\share\\x', 'absolute'],
    ['..\\..\\x', 'leaves the model folder'],
    ['a/../../x', 'leaves the model folder'],
    ['sub/../../x', 'leaves the model folder'],
    ['../x', 'leaves the model folder'],
    ['', 'is empty'],
    ['weights.bin\u0000.txt', 'NUL'],
  ])('location %j is refused', (location, why) => {
    expectShearsError(loadWith(location), 'E_EXTERNAL_DATA', "'w'", why);
  });

  it('a symlink in the model folder that points to a file outside', () => {
    expectShearsError(loadWith('link.bin'), 'E_EXTERNAL_DATA', "'w'", "'link.bin'", 'outside the model folder');
  });

  it('a path through a symlink to a folder outside', () => {
    expectShearsError(loadWith('linkdir/secret.bin'), 'E_EXTERNAL_DATA', "'w'", 'outside the model folder');
  });

  it('a hard link (a file with more than one link)', () => {
    expectShearsError(loadWith('shared.bin'), 'E_EXTERNAL_DATA', "'w'", "'shared.bin'", 'hard link');
  });

  it('a location that does not exist, and one that is a folder', () => {
    expectShearsError(loadWith('missing.bin'), 'E_EXTERNAL_DATA', "'w'", "'missing.bin'", 'does not exist');
    expectShearsError(loadWith('sub'), 'E_EXTERNAL_DATA', "'w'", 'not a regular file');
  });

  it('offset + length beyond the end of the file', () => {
    expectShearsError(loadWith('weights.bin', '4', '16'), 'E_EXTERNAL_DATA', "'w'", 'goes past the end', '16 bytes');
    expectShearsError(loadWith('weights.bin', '9007199254740990', '16'), 'E_EXTERNAL_DATA', "'w'");
  });

  it('negative and non-numeric offsets and lengths', () => {
    for (const bad of ['-4', 'abc', '1e3', '0x10', ' 4', '']) {
      expectShearsError(loadWith('weights.bin', bad), 'E_EXTERNAL_DATA', "'w'", 'offset', 'not a byte count');
      expectShearsError(loadWith('weights.bin', '0', bad), 'E_EXTERNAL_DATA', "'w'", 'length', 'not a byte count');
    }
    expectShearsError(loadWith('weights.bin', '99999999999999999999'), 'E_EXTERNAL_DATA', "'w'", 'not a byte count');
  });

  it('a length that disagrees with the shape', () => {
    expectShearsError(loadWith('weights.bin', '0', '8'), 'E_EXTERNAL_DATA', "'w'", 'needs 16 bytes', 'length is 8');
  });

  it('a huge shape with a small external file fails before any read', () => {
    const load = loadWith('weights.bin', undefined, undefined, [2 ** 14, 2 ** 14]);
    expectNoBigAllocation(() => expectShearsError(load, 'E_EXTERNAL_DATA', "'w'", '[0, 1073741824)', 'goes past the end'));
  });

  it('no location at all', () => {
    const tensor = { name: 'w', dataType: DType.FLOAT, dims: [4], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData: [{ key: 'offset', value: '0' }] };
    expectShearsError(() => decodeModel(oneInitializerModel(tensor, [4]), { baseDir: modelDir }), 'E_EXTERNAL_DATA', "'w'", 'no location');
  });

  it('a model decoded from bytes (no folder) that references external data', () => {
    const bytes = oneInitializerModel(externalTensor('w', [4], 'weights.bin'), [4]);
    expectShearsError(() => decodeModel(bytes), 'E_EXTERNAL_DATA', "'w'", "'weights.bin'", 'load the model from a file path');
  });

  it('a string tensor marked external', () => {
    const file = path.join(modelDir, 'strings.onnx');
    fs.writeFileSync(file, oneInitializerModel(externalTensor('w', [4], 'weights.bin', undefined, undefined, DType.STRING), [4]));
    expectShearsError(() => loadModel(file), 'E_EXTERNAL_DATA', "'w'", 'string');
  });
});
