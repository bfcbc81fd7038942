import type { NamedPipeline } from '../src/pass/pass.js';

const simplify: NamedPipeline = {
  name: 'simplify',
  summary: 'The cleanup passes, repeated until none changes anything',
  description: `Removes what exporters leave behind without changing what the model computes: dead
code, Identity/Dropout and no-op ops, constant subgraphs, shape computations whose result is
static, BatchNormalization after Conv/Gemm/MatMul, and duplicated subexpressions. Symbolic
dimensions (a dynamic batch) are kept. This is the default pipeline of \`shears optimize\`.`,
  pipeline: 'dce,fixpoint(eliminate-identity,simplify-shapes,fold-constants,fold-batchnorm,cse,dce)',
};

export default simplify;
