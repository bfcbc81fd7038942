/**
 * The ONNX node test suite (Debian package libonnx-testdata): one folder per test with model.onnx
 * and test_data_set_N/{input,output}_K.pb.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Graph } from '../../src/ir/graph.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { Value } from '../../src/ir/value.js';
import { decodeTensor } from '../../src/onnx/import.js';

export const NODE_SUITE_DIR = '/usr/share/libonnx-testdata/data/node';

/** Test folders (absolute paths) in name order; empty when the package is not installed. */
export function listNodeTests(root = NODE_SUITE_DIR): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, 'model.onnx')))
    .map((e) => path.join(root, e.name))
    .sort();
}

export interface TestDataSet {
  /** The folder name, e.g. test_data_set_0. */
  name: string;
  inputs: Record<string, Tensor>;
  outputs: Record<string, Tensor>;
  /**
   * Inputs or outputs the graph declares as sequence, optional or map: their .pb files hold a
   * SequenceProto/OptionalProto/MapProto, not a TensorProto, so they are named here and not read.
   */
  nonTensor: NonTensorValue[];
}

export interface NonTensorValue {
  role: 'input' | 'output';
  name: string;
  kind: 'sequence' | 'optional' | 'map' | 'sparse_tensor';
}

/** The graph's runtime inputs: graph inputs that are not initializers, in declaration order. */
export function runtimeInputs(graph: Graph): Value[] {
  return graph.inputs.filter((v) => !v.initializer);
}

/** Every test_data_set_* of a test, its files matched to the graph's runtime inputs and outputs by position. */
export function readTestDataSets(testDir: string, graph: Graph): TestDataSet[] {
  return fs
    .readdirSync(testDir)
    .filter((name) => name.startsWith('test_data_set_'))
    .sort()
    .map((name) => readTestDataSet(path.join(testDir, name), graph));
}

function readTestDataSet(dir: string, graph: Graph): TestDataSet {
  const nonTensor: NonTensorValue[] = [];
  const read = (role: 'input' | 'output', values: readonly Value[]): Record<string, Tensor> => {
    const out: Record<string, Tensor> = {};
    values.forEach((v, i) => {
      const file = path.join(dir, `${role}_${i}.pb`);
      if (!fs.existsSync(file)) return;
      if (v.type && v.type.kind !== 'tensor') {
        nonTensor.push({ role, name: v.name, kind: v.type.kind });
        return;
      }
      out[v.name] = decodeTensor(fs.readFileSync(file));
      out[v.name].name = v.name;
    });
    return out;
  };
  const inputs = read('input', runtimeInputs(graph));
  const outputs = read('output', graph.outputs);
  return { name: path.basename(dir), inputs, outputs, nonTensor };
}
