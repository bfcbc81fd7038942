/** cpu-js as the pass manager's evaluator: computes one node on constant inputs (constant folding). */
import type { Evaluator } from '../../src/backend/evaluator.js';
import { ShearsError } from '../../src/error.js';
import { DType } from '../../src/ir/dtype.js';
import { describe } from '../../src/ir/node.js';
import { Tensor } from '../../src/ir/tensor.js';
import { nodeSupported } from './compile.js';
import { createKernel } from './create-kernel.js';
import { GraphExecutor } from './executor.js';
import type { RunContext, Scope } from './kernel.js';
import { allocTensor, typeOf } from './tensors.js';
import './kernels/index.js';

const noScope: Scope = {
  get(value) {
    throw new ShearsError('E_MODEL_INVALID', `cannot evaluate a subgraph that reads '${value.name}' from its enclosing graph`, { tensor: value.name });
  },
};

const fresh: RunContext = { output: (_, dtype, dims) => allocTensor(dtype, dims), scope: noScope };

export const cpuEvaluator: Evaluator = {
  supports: nodeSupported,
  evaluate(node, inputs) {
    const run = createKernel(node, inputs.map(typeOf), (g) => new GraphExecutor(g));
    return run(inputs, fresh).map((v, i) => {
      if (v && !Array.isArray(v)) return v;
      if (v === null && !node.outputs[i]) return new Tensor(DType.FLOAT, [0], new Float32Array(0));
      throw new ShearsError('E_UNSUPPORTED_OP', `${describe(node)}: output ${i} is not a tensor, so it cannot be folded`, { node: node.name });
    });
  },
};
