/**
 * dce — remove what no graph output depends on.
 *
 *   before:  %t = Relu(%x)          after:  %y = Sigmoid(%x)
 *            %y = Sigmoid(%x)
 *            output %y
 */
import type { Graph } from '../src/ir/graph.js';
import { calledFunction, type FunctionDef, type Model } from '../src/ir/model.js';
import type { Node } from '../src/ir/node.js';
import type { Value } from '../src/ir/value.js';
import { definePass, Stats } from '../src/pass/pass.js';
import { Rewriter } from '../src/pass/rewrite.js';

/** Domains whose ops are pure; a node of any other domain may have side effects and is kept. */
const PURE_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml']);

/** Outputs that ONNX lets a node omit (an empty name), by op. */
const OPTIONAL_OUTPUTS: Readonly<Record<string, readonly number[]>> = {
  BatchNormalization: [1, 2, 3, 4],
  Dropout: [1],
  GRU: [0, 1],
  LayerNormalization: [1, 2],
  LSTM: [0, 1, 2],
  MaxPool: [1],
  RNN: [0, 1],
  SoftmaxCrossEntropyLoss: [1],
  Unique: [1, 2, 3],
};

export default definePass({
  name: 'dce',
  summary: 'Remove nodes, initializers, optional outputs, local functions and opset imports that no graph output depends on',
  description: `Dead code elimination. A node is live when one of its outputs reaches a graph output,
directly or through a subgraph that uses it (a value read inside an If/Loop/Scan body keeps its
producer alive). Dead nodes are removed, then initializers nothing reads, then optional trailing
outputs that nothing reads (the mask of Dropout, the Indices of MaxPool, the training outputs of
BatchNormalization, the states of LSTM/GRU/RNN, ...), then model-local functions that no remaining
node calls (directly or through another function), then opset imports that no node uses (the
value_info of removed values goes with them). Graph inputs and outputs are never removed, nor nodes
of domains other than ai.onnx and ai.onnx.ml, which may have side effects.

  before:  %t = Relu(%x)             after:  %y = Dropout(%x)   (Relu and the mask output gone)
           %y, %mask = Dropout(%x)
           output %y`,
  options: {},
  statistics: {
    'nodes-removed': 'nodes whose outputs reach no graph output',
    'initializers-removed': 'initializers nothing reads',
    'outputs-removed': 'optional node outputs nothing reads',
    'functions-removed': 'model-local functions no node calls',
    'opsets-removed': 'opset imports of domains no node uses',
  },
  run(model) {
    const stats = new Stats();
    const rewriter = new Rewriter(model);
    const live = new Set<Value>();
    const graphs = [model.graph, ...model.functions.map((f) => f.body)];
    for (const g of graphs) sweep(g, live, rewriter, stats);
    rewriter.flush();
    for (const root of graphs) for (const g of root.allGraphs()) removeUnusedInitializers(g, live, stats);
    removeUnusedFunctions(model, stats);
    removeUnusedOpsets(model, stats);
    return stats.result();
  },
});

/** Walk the graph backwards from its outputs, marking what is live and scheduling the rest for removal. */
function sweep(g: Graph, live: Set<Value>, rewriter: Rewriter, stats: Stats): void {
  for (const v of g.outputs) live.add(v);
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const node = g.nodes[i];
    if (PURE_DOMAINS.has(node.domain) && !node.outputs.some((v) => v && live.has(v))) {
      rewriter.remove(node);
      stats.add('nodes-removed');
      continue;
    }
    dropUnusedOptionalOutputs(node, live, stats);
    for (const v of node.inputs) if (v) live.add(v);
    for (const sg of node.subgraphs()) sweep(sg, live, rewriter, stats);
  }
}

function dropUnusedOptionalOutputs(node: Node, live: Set<Value>, stats: Stats): void {
  const optional = PURE_DOMAINS.has(node.domain) ? OPTIONAL_OUTPUTS[node.opType] : undefined;
  if (!optional) return;
  const outs = node.outputs.map((v, i) => (v && !live.has(v) && optional.includes(i) ? null : v));
  while (outs.length > 1 && outs[outs.length - 1] === null) outs.pop();
  const dropped = node.outputs.filter((v) => v && !outs.includes(v));
  if (dropped.length === 0 && outs.length === node.outputs.length) return;
  node.setOutputs(outs);
  for (const v of dropped) node.graph.forget(v!);
  stats.add('outputs-removed', dropped.length);
}

/** `live` holds every value a live node or a graph output (of any scope) reads. */
function removeUnusedInitializers(g: Graph, live: ReadonlySet<Value>, stats: Stats): void {
  const unused = g.initializers.filter((v) => !live.has(v) && !v.isGraphInput);
  if (unused.length === 0) return;
  const drop = new Set(unused);
  g.initializers = g.initializers.filter((v) => !drop.has(v));
  for (const v of unused) {
    v.initializer = null;
    g.forget(v);
  }
  stats.add('initializers-removed', unused.length);
}

/** Functions reachable from the main graph's calls, through the bodies of the functions they call. */
function removeUnusedFunctions(model: Model, stats: Stats): void {
  const called = new Set<FunctionDef>();
  const visit = (root: Graph): void => {
    for (const g of root.allGraphs()) {
      for (const n of g.nodes) {
        const f = calledFunction(model.functions, n);
        if (f && !called.has(f)) {
          called.add(f);
          visit(f.body);
        }
      }
    }
  };
  visit(model.graph);
  const kept = model.functions.filter((f) => called.has(f));
  stats.add('functions-removed', model.functions.length - kept.length);
  model.functions = kept;
}

function removeUnusedOpsets(model: Model, stats: Stats): void {
  const used = new Set<string>(['']);
  for (const root of [model.graph, ...model.functions.map((f) => f.body)]) {
    for (const g of root.allGraphs()) for (const n of g.nodes) used.add(n.domain === 'ai.onnx' ? '' : n.domain);
  }
  for (const domain of [...model.opsets.keys()]) {
    if (used.has(domain === 'ai.onnx' ? '' : domain)) continue;
    model.opsets.delete(domain);
    stats.add('opsets-removed');
  }
}
