import type { Graph } from './graph.js';
import type { Node } from './node.js';
import type { Tensor } from './tensor.js';
import type { ValueType } from './types.js';

/**
 * An SSA value: defined once — by a node, as a graph input, or as an initializer (an input may carry
 * an initializer as its default, as older ONNX files do) — and used by any number of nodes,
 * including nodes inside subgraphs that capture it from an enclosing scope.
 */
export class Value {
  name: string;
  /** The type declared in the file (graph inputs/outputs, value_info); inference is a separate analysis. */
  type: ValueType | undefined;
  docString = '';
  producer: Node | null = null;
  initializer: Tensor | null = null;
  /** One entry per use: a node that consumes this value twice appears twice. */
  readonly users: Node[] = [];

  constructor(readonly graph: Graph, name: string, type?: ValueType) {
    this.name = name;
    this.type = type;
  }

  get isGraphInput(): boolean {
    return this.graph.inputs.includes(this);
  }

  get isGraphOutput(): boolean {
    return this.graph.outputs.includes(this);
  }

  /** The constant tensor behind this value: an initializer that is not an overridable input, or a Constant node's tensor. */
  get constant(): Tensor | null {
    if (this.initializer && !this.isGraphInput) return this.initializer;
    const p = this.producer;
    if (p && p.opType === 'Constant' && p.domain === '' && p.attributes.length === 1 && p.attributes[0].name === 'value') {
      const a = p.attributes[0];
      if (a.type === 'tensor') return a.value;
    }
    return null;
  }
}
