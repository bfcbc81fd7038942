/**
 * The text of a dynamic module, for models whose shapes are not all fixed at compile time: the graph
 * as JSON, run by the cpu-js executor (load.ts), which specialises kernels and plans buffers for
 * each input shape it meets.
 */
import type { MemoryMode } from '../../../src/backend/backend.js';
import { dtypeName } from '../../../src/ir/dtype.js';
import type { Model } from '../../../src/ir/model.js';
import type { ValueType } from '../../../src/ir/types.js';
import type { Value } from '../../../src/ir/value.js';
import type { ValueSpec } from './feeds.js';
import { jsonReplacer, modelToJson } from './graph-json.js';
import { jsLiteral } from './js-literal.js';
import { moduleText } from './module-shell.js';
import type { EmittedModule } from './static-source.js';

export function dynamicModule(model: Model, name: string, runtime: string, why: string, memory: MemoryMode): EmittedModule {
  const { json, weights } = modelToJson(model);
  const g = model.graph;
  const source = moduleText({
    about: [
      `Dynamic module: kernels are specialised and buffers planned when it first runs on each input shape,`,
      `because ${why.replace(/\n/g, ' ')}.`,
    ],
    imports: [`import { instantiate, readWeights } from './${runtime}/backends/cpu-js/emit/load.js';`],
    inputs: g.inputs.map((v) => spec(v, v.initializer !== null || v.type?.kind === 'optional')),
    outputs: g.outputs.map((v) => spec(v, false)),
    weightsFile: `${name}.weights.bin`,
    declarations: ['/** The graph; its tensors are byte ranges of the weights file. */', `const graph = ${jsLiteral(JSON.stringify(json, jsonReplacer))};`],
    prepare: [`return instantiate(graph, await readWeights(source, ${weights.length}), inputs, '${memory}');`],
  });
  return { source, weights, summary: `dynamic module (plans when it runs): ${why}` };
}

function spec(v: Value, optional: boolean): ValueSpec {
  const t = tensorPart(v.initializer ? { kind: 'tensor', dtype: v.initializer.dtype, shape: [...v.initializer.dims] } : v.type);
  return { name: v.name, dtype: t?.kind === 'tensor' ? dtypeName(t.dtype) : 'unknown', shape: t?.kind === 'tensor' ? (t.shape ?? null) : null, ...(optional ? { optional } : {}) };
}

/** The tensor type inside a sequence or optional type: what a caller feeds element by element. */
function tensorPart(t: ValueType | undefined): ValueType | undefined {
  if (t?.kind === 'sequence' || t?.kind === 'optional') return tensorPart(t.elem);
  return t;
}
