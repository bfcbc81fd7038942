/**
 * `--input-shape` values: `NAME=D1,D2,…` gives a graph input its whole shape, `SYMBOL=N` binds a
 * symbolic dim (e.g. `batch=1`) wherever the inputs use it. Given dims must agree with the static
 * dims the model declares.
 */
import { ShearsError } from '../error.js';
import type { Graph } from '../ir/graph.js';
import { Dim, formatShape, formatType } from '../ir/types.js';

export function applyInputShapes(graph: Graph, specs: readonly string[]): void {
  const shapes = new Map<string, number[]>();
  const symbols = new Map<string, number>();
  const declared = new Set(graph.inputs.flatMap((v) => (v.type?.kind === 'tensor' ? (v.type.shape ?? []) : [])).filter((d): d is string => typeof d === 'string'));
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const name = spec.slice(0, eq);
    const dims = eq > 0 ? parseDims(spec.slice(eq + 1)) : null;
    if (!dims) throw new ShearsError('E_USAGE', `--input-shape takes NAME=D1,D2,… (an input's shape) or SYMBOL=N (a symbolic dim), got '${spec}'`);
    if (graph.inputs.some((v) => v.name === name)) shapes.set(name, dims);
    else if (declared.has(name) && dims.length === 1) symbols.set(name, dims[0]);
    else {
      const inputs = graph.inputs.filter((v) => !v.initializer).map((v) => `'${v.name}' ${formatType(v.type)}`).join(', ') || 'none';
      throw new ShearsError('E_USAGE', `--input-shape ${spec}: the model has no input${dims.length === 1 ? ' or symbolic dim' : ''} named '${name}'; its inputs are ${inputs}`);
    }
  }
  for (const v of graph.inputs) {
    const type = v.type;
    const given = shapes.get(v.name);
    if (type?.kind !== 'tensor') {
      if (given) throw new ShearsError('E_USAGE', `--input-shape ${v.name}=…: input '${v.name}' is ${formatType(type)}, not a tensor of known element type`);
      continue;
    }
    const declaredShape = type.shape;
    if (given) {
      const clash = declaredShape && (declaredShape.length !== given.length || declaredShape.some((d, i) => typeof d === 'number' && d !== given[i]));
      if (clash) throw new ShearsError('E_USAGE', `--input-shape gives '${v.name}' shape ${formatShape(given)}, but the model declares ${formatShape(declaredShape)}`);
      v.type = { ...type, shape: given };
    } else if (declaredShape) {
      v.type = { ...type, shape: declaredShape.map((d): Dim => (typeof d === 'string' && symbols.has(d) ? symbols.get(d)! : d)) };
    }
  }
}

function parseDims(text: string): number[] | null {
  if (text.trim() === '') return [];
  const parts = text.split(/[,x]/).map((d) => d.trim());
  if (!parts.every((d) => /^\d+$/.test(d))) return null;
  const dims = parts.map(Number);
  return dims.every(Number.isSafeInteger) ? dims : null;
}
