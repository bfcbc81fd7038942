import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/onnx/import.js';
import { printModel } from '../../src/ir/print.js';

describe('smoke', () => {
  it('loads the bundled model', () => {
    const m = loadModel('models/digits-cnn.onnx');
    expect(printModel(m)).toContain('Conv(');
  });
});
