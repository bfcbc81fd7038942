/**
 * fold-constants — compute nodes whose inputs are all constants, keep the results as initializers.
 *
 *   before:  %s = Mul(%w, %two)        after:  init %y = <w * 2 + b>
 *            %y = Add(%s, %b)
 */
import type { Evaluator } from '../src/backend/evaluator.js';
import { arrayConstructor, DType, lanes } from '../src/ir/dtype.js';
import type { Graph } from '../src/ir/graph.js';
import type { Node } from '../src/ir/node.js';
import { elementCount, Tensor } from '../src/ir/tensor.js';
import { isStaticShape } from '../src/ir/types.js';
import { analyzeShapes, ShapeAnalysis } from '../src/pass/analysis.js';
import { definePass, Stats } from '../src/pass/pass.js';
import { isStandard, Rewriter } from '../src/pass/rewrite.js';

/** Ops whose result differs from run to run: folding would freeze one draw. */
const NONDETERMINISTIC = new Set(['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli']);

/** Results this small are always folded, whatever their growth (shape vectors, scalars, small masks). */
const ALWAYS_FOLD_BYTES = 1024;

export default definePass({
  name: 'fold-constants',
  summary: 'Evaluate nodes whose inputs are all constants and replace them with initializers',
  description: `A node of the ai.onnx domain whose inputs are all constants (initializers that are not
graph inputs, or Constant nodes) is computed with the evaluator the pass context provides (cpu-js in
the CLI and API), and its outputs become initializers under the same names; chains fold in one run.
Constant nodes themselves become initializers. Nodes that draw random numbers, nodes with subgraphs
and nodes the evaluator does not support are left alone (the pass says which). Without an evaluator
the pass reports that and changes nothing.

To keep models from growing, a node is not folded when its results would take more than
\`max-growth\` times the bytes of its inputs (ConstantOfShape, Expand, Tile, Range...), unless the
results are at most ${ALWAYS_FOLD_BYTES} bytes.

  before:  %shape = Constant{value=int64[2] [4, 8]}     after:  init %y = float32[4,8] <data>
           %y = ConstantOfShape(%shape) {value=1.0}`,
  options: {
    'max-growth': { type: 'number', default: 4, min: 0, doc: 'largest allowed ratio of result bytes to input bytes' },
    'hoist-constants': { type: 'boolean', default: true, doc: 'turn Constant nodes into initializers' },
  },
  statistics: {
    'nodes-folded': 'nodes computed and replaced by initializers',
    'constants-hoisted': 'Constant nodes turned into initializers',
  },
  run(model, options, ctx) {
    const stats = new Stats();
    const evaluator = ctx.evaluator;
    if (!evaluator) {
      ctx.note('no evaluator in the pass context, nothing folded (the CLI and the API provide cpu-js)');
      return stats.result();
    }
    const rewriter = new Rewriter(model);
    const skipped = new Map<string, number>();
    let shapes: ShapeAnalysis | undefined;
    const folder: Folder = {
      evaluator,
      maxGrowth: options['max-growth'],
      hoist: options['hoist-constants'],
      shapes: () => (shapes ??= analyzeShapes(model)),
      skip: (why) => skipped.set(why, (skipped.get(why) ?? 0) + 1),
    };
    for (const g of model.graph.allGraphs()) foldGraph(g, folder, rewriter, stats);
    rewriter.flush();
    for (const [why, n] of [...skipped].sort()) ctx.note(`left ${n} node${n === 1 ? '' : 's'} unfolded: ${why}`);
    return stats.result();
  },
});

interface Folder {
  evaluator: Evaluator;
  maxGrowth: number;
  hoist: boolean;
  shapes(): ShapeAnalysis;
  skip(why: string): void;
}

function foldGraph(g: Graph, folder: Folder, rewriter: Rewriter, stats: Stats): void {
  for (const node of g.nodes) {
    if (!isStandard(node) || node.subgraphs().length > 0 || NONDETERMINISTIC.has(node.opType)) continue;
    if (node.opType === 'Constant') {
      if (!folder.hoist) continue;
      const out = node.outputs[0];
      const t = out?.constant ?? constantAttributeTensor(node);
      if (!out || !t || node.outputs.length !== 1) continue;
      rewriter.makeConstant(out, t);
      rewriter.remove(node);
      stats.add('constants-hoisted');
      continue;
    }
    const inputs = constantInputs(node);
    if (!inputs || !node.outputs.some((v) => v)) continue;
    const results = evaluate(node, inputs, folder);
    if (!results) continue;
    node.outputs.forEach((v, i) => v && rewriter.makeConstant(v, results[i]));
    rewriter.remove(node);
    stats.add('nodes-folded');
  }
}

/** The node's input tensors when every present input is a constant and there is at least one. */
function constantInputs(node: Node): (Tensor | null)[] | undefined {
  let any = false;
  const out: (Tensor | null)[] = [];
  for (const v of node.inputs) {
    if (!v) {
      out.push(null);
      continue;
    }
    const c = v.constant;
    if (!c) return undefined;
    out.push(c);
    any = true;
  }
  return any ? out : undefined;
}

function evaluate(node: Node, inputs: (Tensor | null)[], folder: Folder): Tensor[] | undefined {
  const supported = folder.evaluator.supports(node);
  if (supported !== true) {
    folder.skip(`${node.opType}: ${supported}`);
    return undefined;
  }
  const inputBytes = inputs.reduce((n, t) => n + (t ? t.byteLength : 0), 0);
  const limit = Math.max(ALWAYS_FOLD_BYTES, folder.maxGrowth * inputBytes);
  const predicted = predictedBytes(node, folder.shapes());
  if (predicted !== undefined && predicted > limit) {
    folder.skip(`${node.opType}: the result would grow the model more than max-growth allows`);
    return undefined;
  }
  let results: Tensor[];
  try {
    results = folder.evaluator.evaluate(node, inputs);
  } catch (e) {
    folder.skip(`${node.opType}: ${(e as Error).message}`);
    return undefined;
  }
  const bytes = node.outputs.reduce((n, v, i) => n + (v && results[i] ? results[i].byteLength : 0), 0);
  if (node.outputs.some((v, i) => v && !(results[i] instanceof Tensor))) {
    folder.skip(`${node.opType}: the evaluator returned no tensor for an output`);
    return undefined;
  }
  if (bytes > limit) {
    folder.skip(`${node.opType}: the result would grow the model more than max-growth allows`);
    return undefined;
  }
  return results;
}

/** Bytes of the node's outputs from inferred static shapes; undefined when any is unknown. */
function predictedBytes(node: Node, shapes: ShapeAnalysis): number | undefined {
  let bytes = 0;
  for (const v of node.outputs) {
    if (!v) continue;
    const t = shapes.types.get(v);
    if (!t || t.kind !== 'tensor' || !isStaticShape(t.shape) || t.dtype === DType.STRING) return undefined;
    bytes += elementCount(t.shape) * lanes(t.dtype) * arrayConstructor(t.dtype).BYTES_PER_ELEMENT;
  }
  return bytes;
}

/** A Constant node's value given as value_float(s)/value_int(s)/value_string(s) rather than a tensor. */
function constantAttributeTensor(node: Node): Tensor | undefined {
  const a = node.attributes.length === 1 ? node.attributes[0] : undefined;
  if (!a) return undefined;
  switch (a.name) {
    case 'value_float':
      return a.type === 'float' ? Tensor.fromNumbers(DType.FLOAT, [], [a.value]) : undefined;
    case 'value_floats':
      return a.type === 'floats' ? Tensor.fromNumbers(DType.FLOAT, [a.value.length], a.value) : undefined;
    case 'value_int':
      return a.type === 'int' ? Tensor.fromNumbers(DType.INT64, [], [a.value]) : undefined;
    case 'value_ints':
      return a.type === 'ints' ? Tensor.fromNumbers(DType.INT64, [a.value.length], a.value) : undefined;
    case 'value_string':
      return a.type === 'string' ? new Tensor(DType.STRING, [], [a.value]) : undefined;
    case 'value_strings':
      return a.type === 'strings' ? new Tensor(DType.STRING, [a.value.length], [...a.value]) : undefined;
    default:
      return undefined;
  }
}
