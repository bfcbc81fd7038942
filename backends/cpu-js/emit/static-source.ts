/**
 * The text of a static module: the plan as straight-line code. `prepare` reads the weights, makes
 * the constants, then one `kernel(...)` per step with its node's attributes, the static dims of its
 * inputs and the arena places of its outputs as literals; `forward` calls them in order.
 */
import type { MemoryMode } from '../../../src/backend/backend.js';
import { printable } from '../../../src/error.js';
import { DType, dtypeName } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Tensor } from '../../../src/ir/tensor.js';
import { formatShape } from '../../../src/ir/types.js';
import type { ValueSpec } from './feeds.js';
import { jsKey, jsLiteral } from './js-literal.js';
import { moduleText } from './module-shell.js';
import type { StaticPlan } from './static-plan.js';
import { WeightsWriter } from './weights-writer.js';

export interface EmittedModule {
  source: string;
  weights: Uint8Array;
  /** One line on what was emitted, for the user. */
  summary: string;
}

/** `kernelFiles`: the runtime's kernel files the module imports (registering the kernels its steps use). */
export function staticModule(plan: StaticPlan, name: string, runtime: string, kernelFiles: readonly string[], mode: MemoryMode): EmittedModule {
  const { schedule, known, types, places } = plan;
  const weights = new WeightsWriter();
  const constants: string[] = [];
  const named = new Map<Tensor, string>();
  const constant = (t: Tensor, id: string): string => {
    let ref = named.get(t);
    if (ref) return ref;
    ref = id;
    named.set(t, ref);
    const dims = jsLiteral([...t.dims]);
    constants.push(
      t.dtype === DType.STRING
        ? `const ${ref} = strings(${dims}, ${jsLiteral(t.stringData())}, ${jsLiteral(t.name)});`
        : `const ${ref} = constant(W, ${t.dtype}, ${dims}, ${weights.add(t)}, ${jsLiteral(t.name)});`,
    );
    return ref;
  };
  let attributeTensors = 0;
  const attributeRef = (t: Tensor): string => constant(t, `a${attributeTensors++}`);
  const value = (slot: number): string => (known[slot] ? constant(known[slot]!, `c${slot}`) : `v${slot}`);

  const kernels: string[] = [];
  const calls: string[] = [];
  plan.steps.forEach((step, j) => {
    const inputs = Array.from(step.inputs, (s) => (s < 0 ? 'null' : known[s] ? value(s) : jsLiteral([schedule.values[s].name, types[s]!.dtype, types[s]!.dims])));
    const outputs = Array.from(step.outputs, (s) => {
      if (s < 0) return 'null';
      const place = places[s];
      const valueName = schedule.values[s].name;
      return jsLiteral(place ? [valueName, place.offset, place.bytes, ...(place.view ? ['view'] : [])] : valueName);
    });
    kernels.push(`const k${j} = kernel(M, ${jsLiteral(step.spec, attributeRef)},`, `  [${inputs.join(', ')}], [${outputs.join(', ')}]);`);
    const targets = Array.from(step.outputs, (s) => (s < 0 ? '' : `v${s}`));
    while (targets.length && !targets[targets.length - 1]) targets.pop();
    const args = Array.from(step.inputs, (s) => (s < 0 ? 'null' : value(s)));
    const shapes = Array.from(step.outputs, (s) => (s < 0 ? '-' : `${dtypeName(types[s]!.dtype)}${formatShape(types[s]!.dims)}`)).join(' ');
    calls.push(`// ${printable(describe(step.node))} → ${shapes}`, `const [${targets.join(', ')}] = k${j}([${args.join(', ')}]);`);
  });

  const inputs: ValueSpec[] = plan.inputs.map((i) => ({ name: i.name, dtype: dtypeName(i.type.dtype), shape: i.type.dims, ...(i.default ? { optional: true } : {}) }));
  const bind = plan.inputs.map((i, k) => `const v${i.slot} = x[${k}]${i.default ? ` ?? ${constant(i.default, `d${i.slot}`)}` : ''};`);
  const outputs: ValueSpec[] = schedule.outputSlots.map((s) => ({ name: schedule.values[s].name, dtype: dtypeName(types[s]!.dtype), shape: types[s]!.dims }));
  const results = schedule.outputSlots.map((s) => [schedule.values[s].name, value(s)] as const);
  const weightsFile = `${name}.weights.bin`;
  const weightBytes = weights.byteLength;

  const n = (x: number): string => x.toLocaleString('en-US');
  const folded = plan.folded ? ` (${n(plan.folded)} more computed from constants and shapes at compile time)` : '';
  const summary = `static plan: ${n(plan.steps.length)} kernel calls${folded}, ${n(plan.arenaBytes)}-byte activation arena (${n(plan.bufferBytes)} bytes as separate buffers), ${n(weightBytes)} bytes of weights`;
  const source = moduleText({
    about: [
      `Static plan for ${inputs.map((s) => `'${printable(s.name)}' ${s.dtype}${formatShape(s.shape ?? undefined)}`).join(', ') || 'no inputs'}: every shape is fixed and baked in below.`,
      `${n(plan.steps.length)} kernel calls${folded};`,
      `one ${n(plan.arenaBytes)}-byte activation arena (the planned buffers would take ${n(plan.bufferBytes)} bytes apart); ${n(weightBytes)} bytes of weights.`,
    ],
    imports: [
      ...kernelFiles.map((k) => `import './${runtime}/${k}';`),
      `import { bindFeeds, constant, kernel, memory, readWeights, results, strings } from './${runtime}/backends/cpu-js/emit/runtime.js';`,
    ],
    inputs,
    outputs,
    weightsFile,
    prepare: [
      `const W = await readWeights(source, ${weightBytes});`,
      `const M = memory(W, ${plan.arenaBytes}, '${mode}');`,
      '',
      '// Constants: initializers, and values computed from constants alone at compile time.',
      ...constants,
      '',
      '// One kernel per step, created for its static input dims; outputs placed in the arena as [name, offset, bytes].',
      ...kernels,
      '',
      'return (feeds) => {',
      '  const x = bindFeeds(feeds, inputs);',
      ...bind.map((l) => `  ${l}`),
      ...calls.map((l) => `  ${l}`),
      `  return results(M, { ${results.map(([n, v]) => `${jsKey(n)}: ${v}`).join(', ')} });`,
      '};',
    ],
  });
  return { source, weights: weights.finish(), summary };
}
