import type { Node } from '../ir/node.js';
import type { Tensor } from '../ir/tensor.js';

/**
 * Computes single nodes on constant inputs. Passes that fold or measure (constant folding,
 * sensitivity) receive one through their context; the CLI/API injects a back end's, so passes
 * never import a back end.
 */
export interface Evaluator {
  /** true, or why this node cannot be evaluated (unknown op, unsupported attribute). */
  supports(node: Node): true | string;
  /** One tensor per node output (missing optional outputs get a placeholder the caller ignores). */
  evaluate(node: Node, inputs: readonly (Tensor | null)[]): Tensor[];
}
