/** Tiny graphs for cpu-js unit tests: one node, or a chain, over declared inputs. */
import type { Attribute } from '../../../src/ir/attribute.js';
import { DType } from '../../../src/ir/dtype.js';
import { Model } from '../../../src/ir/model.js';
import type { Node } from '../../../src/ir/node.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { Dim, tensorType } from '../../../src/ir/types.js';

export function f32(dims: number[], values: number[]): Tensor {
  return Tensor.fromNumbers(DType.FLOAT, dims, values);
}

/** A model holding one node whose inputs are graph inputs of the given tensors' types. */
export function singleNodeModel(opType: string, inputs: Tensor[], attributes: Attribute[] = [], outputs = 1, opset = 17): { model: Model; node: Node } {
  const model = new Model(new Map([['', opset]]));
  const g = model.graph;
  const ins = inputs.map((t, i) => g.addInput(`x${i}`, tensorType(t.dtype, [...t.dims] as Dim[])));
  const node = g.addNode({ opType, inputs: ins, outputs: Array.from({ length: outputs }, (_, i) => `y${i}`), attributes });
  g.outputs = node.outputs.filter((v) => v !== null);
  return { model, node };
}
