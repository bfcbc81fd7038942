/**
 * simplify-shapes — replace shape computations whose result shape inference knows with constants.
 *
 *   x: float32[batch,16,64]
 *   before:  %s = Shape(%x)                   after:  %y = Reshape(%x, %shape)
 *            %b = Gather(%s, %zero)                   init %shape = int64[4] [-1, 16, 4, 16]
 *            %u = Unsqueeze(%b, %axes)
 *            %c = Concat(%u, %rest) {axis=0}
 *            %y = Reshape(%x, %c)
 */
import { DType } from '../src/ir/dtype.js';
import type { Graph } from '../src/ir/graph.js';
import { KnownValue, knownToTensor, staticData } from '../src/ir/infer/index.js';
import type { Node } from '../src/ir/node.js';
import { Tensor } from '../src/ir/tensor.js';
import { isStaticShape } from '../src/ir/types.js';
import type { Value } from '../src/ir/value.js';
import { analyzeShapes, ShapeAnalysis, shapeOf } from '../src/pass/analysis.js';
import { definePass, Stats } from '../src/pass/pass.js';
import { isStandard, Rewriter } from '../src/pass/rewrite.js';

/** Results of these types are shape arithmetic, exact in inference; float results are left to fold-constants. */
const EXACT = new Set([DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT64, DType.UINT32, DType.UINT16, DType.UINT8, DType.BOOL]);

export default definePass({
  name: 'simplify-shapes',
  summary: 'Replace Shape, Size and shape arithmetic with constants where inferred shapes make them static',
  description: `Runs shape inference with its partial evaluator (which follows the contents of small
integer tensors through Shape, Gather, Unsqueeze, Concat, Slice, arithmetic, ...). Every integer or
bool output of a node that inference knows completely becomes an initializer: Shape and Size of
statically shaped tensors, and the Shape → Gather → Unsqueeze → Concat chains of PyTorch exports
as far as they are static. The dynamic dims (a symbolic batch) are kept: they are never replaced
by a number. A Reshape whose target shape is known except for one symbolic entry gets a constant
target with -1 there, which Reshape computes from the element count. Dead producers are left to
dce.

  x: float32[batch,16,64]
  before:  %s = Shape(%x)                       after:  %y = Reshape(%x, %shape)
           %b = Gather(%s, %zero) {axis=0}              init %shape = int64[4] [-1, 16, 4, 16]
           %u = Unsqueeze(%b, %axes)
           %c = Concat(%u, %rest) {axis=0}
           %y = Reshape(%x, %c)`,
  options: {},
  statistics: {
    'values-replaced': 'node outputs replaced by constants',
    'reshapes-simplified': 'Reshape targets made constant with -1 for the one symbolic dim',
  },
  run(model) {
    const stats = new Stats();
    const rewriter = new Rewriter(model);
    const analysis = analyzeShapes(model);
    for (const g of model.graph.allGraphs()) {
      for (const node of g.nodes) {
        if (!isStandard(node) || node.subgraphs().length > 0 || node.opType === 'Constant') continue;
        if (replaceKnownOutputs(node, analysis, rewriter, stats)) continue;
        if (node.opType === 'Reshape') simplifyReshape(node, analysis, g, stats);
      }
    }
    rewriter.flush();
    return stats.result();
  },
});

function replaceKnownOutputs(node: Node, analysis: ShapeAnalysis, rewriter: Rewriter, stats: Stats): boolean {
  const outs = node.outputs.filter((v): v is Value => v !== null);
  const known = outs.map((v) => knownTensor(v, node, analysis));
  if (!known.some((t) => t)) return false;
  if (known.every((t) => t)) {
    outs.forEach((v, i) => rewriter.makeConstant(v, known[i]!));
    rewriter.remove(node);
    stats.add('values-replaced', outs.length);
    return true;
  }
  outs.forEach((v, i) => {
    const t = known[i];
    if (!t || (v.users.length === 0 && !v.isGraphOutput)) return;
    const g = v.graph;
    if (rewriter.replaceValue(v, g.addInitializer(g.uniqueName(`${v.name}_static`), t))) stats.add('values-replaced');
  });
  return false;
}

/** A constant equal to the value, when inference knows all of it and it is exact (integer or bool). */
function knownTensor(v: Value, node: Node, analysis: ShapeAnalysis): Tensor | undefined {
  const known = analysis.values.get(v) ?? shapeValue(node, analysis);
  if (!known || !EXACT.has(known.dtype)) return undefined;
  return knownToTensor(known);
}

/** Shape and Size of a statically shaped input, when the partial evaluator did not say. */
function shapeValue(node: Node, analysis: ShapeAnalysis): KnownValue | undefined {
  const x = node.inputs[0];
  const shape = x ? shapeOf(analysis, x) : undefined;
  if (!isStaticShape(shape)) return undefined;
  if (node.opType === 'Size') return { dtype: DType.INT64, dims: [], data: [shape.reduce((a, b) => a * b, 1)] };
  if (node.opType !== 'Shape') return undefined;
  const rank = shape.length;
  const clamp = (i: number): number => Math.min(rank, Math.max(0, i < 0 ? i + rank : i));
  const dims = shape.slice(clamp(node.getInt('start', 0)), clamp(node.getInt('end', rank)));
  return { dtype: DType.INT64, dims: [dims.length], data: dims };
}

/** Reshape(x, c) where c is known but for one symbolic entry: a constant target with -1 there. */
function simplifyReshape(node: Node, analysis: ShapeAnalysis, g: Graph, stats: Stats): void {
  const target = node.inputs[1];
  if (!target || target.constant) return;
  const known = analysis.values.get(target);
  if (!known || known.dims.length !== 1 || staticData(known)) return;
  const unknown = known.data.filter((d) => typeof d !== 'number').length;
  if (unknown !== 1 || !known.data.every((d) => typeof d !== 'number' || d > 0)) return;
  const data = known.data.map((d) => (typeof d === 'number' ? d : -1));
  const shape = g.addInitializer(g.uniqueName(`${target.name}_static`), Tensor.fromNumbers(DType.INT64, [data.length], data));
  node.setInput(1, shape);
  stats.add('reshapes-simplified');
}
