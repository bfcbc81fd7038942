/** Compiling a graph for cpu-js: check every node, then an executor behind the Executable interface. */
import { checkMemoryMode, CompileOptions, Executable, Feeds } from '../../src/backend/backend.js';
import { checkSupported } from '../../src/backend/check.js';
import { bindInputs } from '../../src/backend/inputs.js';
import type { Graph } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import { kernelSupports } from './create-kernel.js';
import { GraphExecutor } from './executor.js';
import { withPool } from './threads/active.js';
import { ThreadPool } from './threads/pool.js';
import { typeOf } from './tensors.js';
import './kernels/index.js';

export type CpuJsExecutable = Executable & { runSync(inputs: Feeds): Feeds };

/** Whether the node, and every node in its subgraphs, has a kernel. */
export function nodeSupported(node: Node): true | string {
  const own = kernelSupports(node);
  if (own !== true) return own;
  for (const g of node.subgraphs()) {
    for (const inner of g.allGraphs()) {
      for (const n of inner.nodes) {
        const verdict = kernelSupports(n);
        if (verdict !== true) return `its subgraph uses ${n.qualifiedOp}, which cpu-js cannot run (${verdict})`;
      }
    }
  }
  return true;
}

export function compileGraph(graph: Graph, options: CompileOptions = {}): CpuJsExecutable {
  checkSupported(graph, 'cpu-js', kernelSupports);
  checkMemoryMode(options.memory);
  const threads = options.threads ?? 1;
  // Workers start on the first `run` (starting them is asynchronous); `runSync` uses them once started.
  const pool = threads === 1 ? null : new ThreadPool(threads);
  const executor = new GraphExecutor(graph, { maxPlans: options.maxPlans, sharedArena: pool !== null, memory: options.memory });
  // Under the pool, kernels pack their weights into shared memory (threads/weight-panels.ts).
  withPool(pool, () => executor.prepare(graph.inputs.map((v) => (v.initializer ? typeOf(v.initializer) : v.type))));
  const executable: CpuJsExecutable = {
    runSync(inputs) {
      const outputs = withPool(pool, () => executor.run(bindInputs(graph, inputs)));
      const result: Feeds = {};
      graph.outputs.forEach((v, i) => (result[v.name] = outputs[i]));
      return result;
    },
    run: async (inputs) => {
      await pool?.start();
      return executable.runSync(inputs);
    },
    stats: () => executor.stats(),
    dispose: () => pool?.terminate(),
  };
  return executable;
}
