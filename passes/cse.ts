/**
 * cse — compute each distinct expression once.
 *
 *   before:  %a = Relu(%x)           after:  %a = Relu(%x)
 *            %b = Relu(%x)                   %y = Add(%a, %a)
 *            %y = Add(%a, %b)
 */
import type { Attribute } from '../src/ir/attribute.js';
import type { Graph } from '../src/ir/graph.js';
import type { Node } from '../src/ir/node.js';
import type { Value } from '../src/ir/value.js';
import { definePass, Stats } from '../src/pass/pass.js';
import { isStandard, Rewriter } from '../src/pass/rewrite.js';
import { sameTensor, tensorKey } from './cse/tensor-key.js';

const NONDETERMINISTIC = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);
/** Ops whose result does not depend on the order of their inputs. */
const COMMUTATIVE = new Set(['Add', 'Mul', 'Max', 'Min', 'Sum', 'Mean', 'And', 'Or', 'Xor', 'Equal', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor']);

export default definePass({
  name: 'cse',
  summary: 'Merge nodes that compute the same thing, and initializers with the same contents',
  description: `Common subexpression elimination. Initializers of equal dtype, shape and contents
(compared byte for byte) become one. Then two nodes of the ai.onnx domain with the same op, the
same attributes (tensors compared by contents) and the same inputs (in any order for commutative
ops such as Add and Mul) compute the same outputs, so the later one is replaced by the earlier.
Nodes that draw random numbers or hold subgraphs are left alone. Graph outputs keep their names.

  before:  %s1 = Shape(%x)              after:  %s1 = Shape(%x)
           %s2 = Shape(%x)                      %y = Concat(%s1, %s1) {axis=0}
           %y = Concat(%s1, %s2) {axis=0}`,
  options: {},
  statistics: {
    'initializers-merged': 'initializers replaced by an equal earlier one',
    'nodes-merged': 'nodes replaced by an equal earlier one',
  },
  run(model) {
    const stats = new Stats();
    const rewriter = new Rewriter(model);
    for (const root of [model.graph, ...model.functions.map((f) => f.body)]) {
      for (const g of root.allGraphs()) {
        mergeInitializers(g, rewriter, stats);
        mergeNodes(g, rewriter, stats);
      }
    }
    rewriter.flush();
    return stats.result();
  },
});

function mergeInitializers(g: Graph, rewriter: Rewriter, stats: Stats): void {
  const groups = new Map<string, Value[]>();
  for (const v of g.initializers) {
    if (v.isGraphInput || !v.initializer) continue;
    const key = tensorKey(v.initializer, false);
    const group = groups.get(key);
    if (group) group.push(v);
    else groups.set(key, [v]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const kept: Value[] = [];
    for (const v of group) {
      const same = v.isGraphOutput ? undefined : kept.find((k) => sameTensor(k.initializer!, v.initializer!));
      if (same && rewriter.replaceValue(v, same)) stats.add('initializers-merged');
      else kept.push(v);
    }
  }
}

function mergeNodes(g: Graph, rewriter: Rewriter, stats: Stats): void {
  const ids = new Map<Value, number>();
  const id = (v: Value | null): string => {
    if (!v) return '_';
    let n = ids.get(v);
    if (n === undefined) ids.set(v, (n = ids.size));
    return String(n);
  };
  const seen = new Map<string, Node[]>();
  for (const node of g.nodes) {
    if (!isStandard(node) || node.subgraphs().length > 0 || NONDETERMINISTIC.has(node.opType) || !node.outputs.some((v) => v)) continue;
    const inputs = node.inputs.map(id);
    if (COMMUTATIVE.has(node.opType)) inputs.sort();
    const key = `${node.opType}(${inputs.join(',')})->${node.outputs.map((v) => (v ? 'o' : '_')).join('')}{${node.attributes.map(attributeKey).sort().join(';')}}`;
    const candidates = seen.get(key);
    const same = candidates?.find((c) => sameAttributes(c, node));
    if (same && replaceOutputs(node, same, rewriter)) {
      rewriter.remove(node);
      stats.add('nodes-merged');
    } else if (candidates) candidates.push(node);
    else seen.set(key, [node]);
  }
}

/** Point every use of `node`'s outputs at `same`'s; all or nothing (two graph outputs cannot become one). */
function replaceOutputs(node: Node, same: Node, rewriter: Rewriter): boolean {
  const pairs = node.outputs.map((v, i) => [v, same.outputs[i]] as const).filter(([v]) => v);
  if (pairs.some(([v, w]) => !w || (v!.isGraphOutput && w.isGraphOutput))) return false;
  for (const [v, w] of pairs) rewriter.replaceValue(v!, w!);
  return true;
}

function attributeKey(a: Attribute): string {
  switch (a.type) {
    case 'tensor':
    case 'sparse_tensor':
      return `${a.name}=${tensorKey(a.value, true)}`;
    case 'tensors':
    case 'sparse_tensors':
      return `${a.name}=[${a.value.map((t) => tensorKey(t, true)).join(',')}]`;
    case 'graph':
    case 'graphs':
      return `${a.name}=<graph>`;
    default:
      return `${a.name}:${a.type}=${plain(a.value)}`;
  }
}

/** Text that tells apart every attribute value, -0 from 0 and NaN included. */
function plain(x: unknown): string {
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (typeof x === 'bigint') return `${x}n`;
  if (Array.isArray(x)) return `[${x.map(plain).join(',')}]`;
  return JSON.stringify(x) ?? 'undefined';
}

/** Attribute keys hash tensors; equal keys are confirmed by comparing the tensors themselves. */
function sameAttributes(a: Node, b: Node): boolean {
  if (a.attributes.length !== b.attributes.length) return false;
  for (const x of a.attributes) {
    const y = b.attr(x.name);
    if (!y || x.type !== y.type) return false;
    if ((x.type === 'tensor' || x.type === 'sparse_tensor') && !sameTensor(x.value, y.value as typeof x.value)) return false;
    if ((x.type === 'tensors' || x.type === 'sparse_tensors') && !x.value.every((t, i) => sameTensor(t, (y.value as (typeof x.value))[i]))) return false;
  }
  return true;
}
