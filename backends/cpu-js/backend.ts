/** The cpu-js back end: typed-array kernels run by a planned executor, or emitted as a standalone module. */
import type { Backend } from '../../src/backend/backend.js';
import { Graph } from '../../src/ir/graph.js';
import { compileGraph, nodeSupported } from './compile.js';
import { emitModule } from './emit/emit.js';

export { nodeSupported };

export const cpuJsBackend: Backend = {
  name: 'cpu-js',
  supports: nodeSupported,
  compile: (model, options) => compileGraph(model instanceof Graph ? model : model.graph, options),
  emit: (model, options) => emitModule(model, options),
};
