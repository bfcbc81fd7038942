/**
 * eliminate-identity — bypass nodes that pass their input through unchanged.
 *
 *   before:  %a = Identity(%x)                 after:  %y = Relu(%x)
 *            %b = Transpose(%a) {perm=[1,0]}
 *            %c = Transpose(%b) {perm=[1,0]}
 *            %y = Relu(%c)
 */
import type { Graph } from '../src/ir/graph.js';
import type { Node } from '../src/ir/node.js';
import type { Dim } from '../src/ir/types.js';
import type { Value } from '../src/ir/value.js';
import { analyzeShapes, dtypeOf, ShapeAnalysis, shapeOf } from '../src/pass/analysis.js';
import { definePass, Stats } from '../src/pass/pass.js';
import { isStandard, Rewriter } from '../src/pass/rewrite.js';

/** Ops that only reinterpret the shape: with the output shape equal to the input's they are the identity. */
const SHAPE_ONLY = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Expand', 'Tile']);

export default definePass({
  name: 'eliminate-identity',
  summary: 'Remove Identity, inference Dropout, no-op Reshape/Transpose/Cast/Pad/Slice, and cancelling Transposes',
  description: `Bypasses nodes whose output equals their input: Identity; Dropout in inference (no
training_mode, or a constant false, and its mask unused); Cast to the type the input already has;
Reshape, Flatten, Squeeze, Unsqueeze, Expand and Tile whose inferred output shape is the input's;
Transpose with the identity permutation; Pad with all pads zero; Slice with positive steps whose
output shape is the input's; Concat of one input. Two Transposes in a row become one (or none when
they cancel). Ops of other domains are left alone.

A graph output keeps its name: the node that computes the bypassed input is made to produce the
output directly, or, when the input is a graph input or another output, the node stays.

  before:  %t = Transpose(%x) {perm=[0,2,3,1]}    after:  %y = Relu(%x)
           %u = Transpose(%t) {perm=[0,3,1,2]}
           %y = Relu(%u)`,
  options: {},
  statistics: {
    'nodes-removed': 'nodes bypassed because they compute the identity',
    'transposes-merged': 'pairs of Transposes merged into one',
  },
  run(model) {
    const stats = new Stats();
    const rewriter = new Rewriter(model);
    let analysis: ShapeAnalysis | undefined;
    const shapes = (): ShapeAnalysis => (analysis ??= analyzeShapes(model));
    for (const root of [model.graph, ...model.functions.map((f) => f.body)]) {
      for (const g of root.allGraphs()) eliminateIn(g, root === model.graph ? shapes : undefined, rewriter, stats);
    }
    rewriter.flush();
    return stats.result();
  },
});

function eliminateIn(g: Graph, shapes: (() => ShapeAnalysis) | undefined, rewriter: Rewriter, stats: Stats): void {
  for (const node of g.nodes) {
    if (!isStandard(node) || node.subgraphs().length > 0) continue;
    const input = node.inputs[0];
    const output = node.outputs[0];
    if (!input || !output) continue;
    if (node.opType === 'Transpose' && mergeTransposes(node, shapes, rewriter, stats)) continue;
    if (!isIdentity(node, input, output, shapes)) continue;
    if (!rewriter.replaceValue(output, input)) continue;
    rewriter.remove(node);
    stats.add('nodes-removed');
  }
}

function isIdentity(node: Node, input: Value, output: Value, shapes: (() => ShapeAnalysis) | undefined): boolean {
  switch (node.opType) {
    case 'Identity':
      return true;
    case 'Dropout':
      return isInferenceDropout(node);
    case 'Concat':
      return node.inputs.length === 1;
    case 'Transpose': {
      const perm = node.getInts('perm');
      if (perm) return perm.every((p, i) => p === i);
      const rank = shapes ? shapeOf(shapes(), input)?.length : undefined;
      return rank !== undefined && rank <= 1;
    }
    case 'Pad':
      return padsAreZero(node);
    case 'Cast': {
      const from = shapes ? dtypeOf(shapes(), input) : input.constant?.dtype;
      return from !== undefined && from === node.getInt('to');
    }
    case 'Slice':
      return slicesForward(node) && shapes !== undefined && sameShape(shapeOf(shapes(), input), shapeOf(shapes(), output));
    default:
      return SHAPE_ONLY.has(node.opType) && shapes !== undefined && sameShape(shapeOf(shapes(), input), shapeOf(shapes(), output));
  }
}

/** Dropout with its mask unused, not in training mode (a training_mode input that is a constant false, or none). */
function isInferenceDropout(node: Node): boolean {
  const mask = node.outputs[1];
  if (mask && (mask.users.length > 0 || mask.isGraphOutput)) return false;
  if (node.getInt('is_test', 1) === 0) return false;
  const training = node.inputs[2];
  if (!training) return true;
  const c = training.constant;
  return c !== null && c.size === 1 && Number(c.toNumbers()[0]) === 0;
}

function padsAreZero(node: Node): boolean {
  const attr = node.getInts('pads') ?? node.getInts('paddings');
  if (node.opset < 11 || attr) return attr !== undefined && attr.every((p) => p === 0);
  const pads = node.inputs[1]?.constant;
  return pads !== null && pads !== undefined && pads.toNumbers().every((p) => p === 0);
}

/** Every step of the Slice is positive (then an unchanged shape means every element is kept in order). */
function slicesForward(node: Node): boolean {
  if (node.opset < 10) return true;
  const steps = node.inputs[4];
  if (!steps) return true;
  const c = steps.constant;
  return c !== null && c.toNumbers().every((s) => s > 0);
}

/** Equal ranks, and each dim the same number or the same symbol. */
function sameShape(a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((d, i) => d !== null && d === b[i]);
}

/** Transpose(Transpose(x, p1), p2) → Transpose(x, p1∘p2), or x when they cancel. False when there is no such pair. */
function mergeTransposes(node: Node, shapes: (() => ShapeAnalysis) | undefined, rewriter: Rewriter, stats: Stats): boolean {
  const inner = node.inputs[0]?.producer;
  if (!inner || inner.opType !== 'Transpose' || !isStandard(inner) || inner.graph !== node.graph) return false;
  const x = inner.inputs[0];
  if (!x) return false;
  const rank = shapes ? shapeOf(shapes(), x)?.length : undefined;
  const p1 = permutation(inner, rank);
  const p2 = permutation(node, rank);
  if (!p1 || !p2 || p1.length !== p2.length) return false;
  const combined = p2.map((i) => p1[i]);
  if (combined.every((p, i) => p === i) && rewriter.replaceValue(node.outputs[0]!, x)) {
    rewriter.remove(node);
    stats.add('nodes-removed');
    return true;
  }
  node.setInput(0, x);
  node.setAttr({ name: 'perm', type: 'ints', value: combined });
  stats.add('transposes-merged');
  return true;
}

/** The node's perm attribute (default: reversed axes, which needs the rank), if it is a permutation. */
function permutation(node: Node, rank: number | undefined): number[] | undefined {
  const perm = node.getInts('perm') ?? (rank === undefined ? undefined : Array.from({ length: rank }, (_, i) => rank - 1 - i));
  if (!perm) return undefined;
  const seen = new Set(perm);
  return seen.size === perm.length && perm.every((p) => p >= 0 && p < perm.length) ? perm : undefined;
}
