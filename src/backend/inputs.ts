/** Matching a caller's feeds to a graph's inputs, with errors that name the input and the shape the model expects. */
import { ShearsError } from '../error.js';
import { dtypeName } from '../ir/dtype.js';
import type { Graph } from '../ir/graph.js';
import { formatShape, formatType } from '../ir/types.js';
import type { Feeds } from './backend.js';
import type { RuntimeValue } from './value.js';

/** Feeds in graph.inputs order; null where an input with an initializer default is not fed. */
export function bindInputs(graph: Graph, feeds: Feeds): RuntimeValue[] {
  const names = new Set(graph.inputs.map((v) => v.name));
  for (const name of Object.keys(feeds)) {
    if (!names.has(name)) {
      throw new ShearsError('E_SHAPE', `the model has no input '${name}'; its inputs are ${describeInputs(graph)}`, { tensor: name });
    }
  }
  const symbols = new Map<string, { size: number; input: string }>();
  return graph.inputs.map((input) => {
    const v = Object.hasOwn(feeds, input.name) ? feeds[input.name] : undefined;
    if (v === undefined || v === null) {
      if (input.initializer || input.type?.kind === 'optional') return null;
      throw new ShearsError('E_SHAPE', `input '${input.name}' is missing: the model expects ${formatType(input.type)}`, { tensor: input.name });
    }
    const type = input.type;
    if (type?.kind !== 'tensor') return v;
    if (Array.isArray(v)) throw new ShearsError('E_SHAPE', `input '${input.name}' is a sequence, but the model expects a tensor ${formatType(type)}`, { tensor: input.name });
    if (v.dtype !== type.dtype) {
      throw new ShearsError('E_SHAPE', `input '${input.name}' is ${dtypeName(v.dtype)}${formatShape([...v.dims])}, but the model expects ${formatType(type)}`, { tensor: input.name });
    }
    const shape = type.shape;
    if (!shape) return v;
    const mismatch = (): ShearsError =>
      new ShearsError('E_SHAPE', `input '${input.name}' has shape ${formatShape([...v.dims])}, but the model expects ${formatShape(shape)}`, { tensor: input.name });
    if (shape.length !== v.dims.length) throw mismatch();
    shape.forEach((d, i) => {
      const actual = v.dims[i];
      if (typeof d === 'number' && d !== actual) throw mismatch();
      if (typeof d === 'string' && d !== '') {
        const seen = symbols.get(d);
        if (seen && seen.size !== actual) {
          throw new ShearsError('E_SHAPE', `input '${input.name}' has ${d}=${actual} (shape ${formatShape([...v.dims])}), but input '${seen.input}' has ${d}=${seen.size}`, { tensor: input.name });
        }
        symbols.set(d, { size: actual, input: input.name });
      }
    });
    return v;
  });
}

function describeInputs(graph: Graph): string {
  return graph.inputs.filter((v) => !v.initializer).map((v) => `'${v.name}' ${formatType(v.type)}`).join(', ') || 'none';
}
