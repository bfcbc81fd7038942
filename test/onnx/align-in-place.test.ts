import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DType } from '../../src/ir/dtype.js';
import { Model } from '../../src/ir/model.js';
import { Tensor } from '../../src/ir/tensor.js';
import { tensorType } from '../../src/ir/types.js';
import { alignRawDataInPlace } from '../../src/onnx/align-in-place.js';
import { encodeModel } from '../../src/onnx/export.js';
import { decodeModel, loadModel } from '../../src/onnx/import.js';

/** Sum of many initializers whose names have every length mod 8, so that their raw_data lands at every misalignment. */
function manyInitializers(): Model {
  const m = new Model(new Map([['', 17]]));
  const g = m.graph;
  let acc = g.addInput('x', tensorType(DType.FLOAT, [40]));
  for (let i = 0; i < 16; i++) {
    const w = g.addInitializer(`w${'_'.repeat(i)}`, Tensor.fromNumbers(DType.FLOAT, [40], Array.from({ length: 40 }, (_, k) => Math.fround(i + k / 7))));
    acc = g.addNode({ opType: 'Add', inputs: [acc, w], outputs: [`s${i}`] }).outputs[0]!;
  }
  // 24 bytes of int64: a 2-byte field header leaves too little room for most shifts, so these are copied.
  for (let i = 0; i < 8; i++) g.addInitializer(`shape${'_'.repeat(i)}`, Tensor.fromNumbers(DType.INT64, [3], [1, -2, 2 ** 40 + i]));
  g.outputs = [acc];
  return m;
}

describe('loadModel aligns weights in place', () => {
  const model = manyInitializers();
  const bytes = encodeModel(model).bytes;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shears-align-')), 'm.onnx');
  fs.writeFileSync(file, bytes);

  it('the file holds misaligned float raw_data (else this test proves nothing)', () => {
    const offsets = decodeModel(bytes).graph.initializers.filter((v) => v.initializer!.dtype === DType.FLOAT).map((v) => (v.initializer!.source as { bytes: Uint8Array }).bytes.byteOffset % 4);
    expect(new Set(offsets)).toEqual(new Set([0, 1, 2, 3]));
  });

  it('gives bit-identical tensors, every float one a view on the one buffer read from the file', () => {
    const loaded = loadModel(file);
    const buffers = new Set<ArrayBufferLike>();
    for (const v of loaded.graph.initializers) {
      const t = v.initializer!;
      const original = model.graph.lookup(t.name)!.initializer!;
      expect(Array.from(t.data as ArrayLike<number | bigint>)).toEqual(Array.from(original.data as ArrayLike<number | bigint>));
      if (t.dtype === DType.FLOAT) buffers.add((t.data as Float32Array).buffer);
    }
    expect(buffers.size).toBe(1);
    expect([...buffers][0].byteLength).toBeGreaterThanOrEqual(bytes.length);
    // Shared memory, so that worker threads read the weights in place.
    expect([...buffers][0]).toBeInstanceOf(SharedArrayBuffer);
  });

  it('decodes text from the shared buffer: names, string attributes, string tensors', () => {
    const m = new Model(new Map([['', 17]]));
    const g = m.graph;
    const x = g.addInput('entrée', tensorType(DType.STRING, [2]));
    const table = g.addInitializer('mots', new Tensor(DType.STRING, [2], ['größe', '尺寸']));
    g.outputs = [g.addNode({ opType: 'Concat', name: 'nœud', inputs: [x, table], outputs: ['sortie'], attributes: [{ name: 'note', type: 'string', value: 'déjà vu' }, { name: 'axis', type: 'int', value: 0 }] }).outputs[0]!];
    const stringFile = path.join(path.dirname(file), 'strings.onnx');
    fs.writeFileSync(stringFile, encodeModel(m).bytes);
    const loaded = loadModel(stringFile).graph;
    expect(loaded.inputs[0].name).toBe('entrée');
    expect(loaded.nodes[0].name).toBe('nœud');
    expect(loaded.nodes[0].getString('note')).toBe('déjà vu');
    expect(loaded.lookup('mots')!.initializer!.stringData()).toEqual(['größe', '尺寸']);
  });

  it('decodeModel never writes the bytes it is given', () => {
    const given = bytes.slice();
    const decoded = decodeModel(given);
    for (const v of decoded.graph.initializers) void v.initializer!.data;
    expect(Buffer.from(given).equals(Buffer.from(bytes))).toBe(true);
  });

  it('moves nothing that is not behind its own raw_data field header', () => {
    const file = new Uint8Array(16).fill(7);
    const raw = file.subarray(5, 13);
    expect(alignRawDataInPlace(raw, 4, file)).toBeNull();
    expect(file.every((b) => b === 7)).toBe(true);
    file.set([0x4a, 8], 3);
    const moved = alignRawDataInPlace(raw, 4, file)!;
    expect(moved.byteOffset).toBe(4);
    expect([...moved]).toEqual([7, 7, 7, 7, 7, 7, 7, 7]);
  });
});
