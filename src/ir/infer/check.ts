import { dtypeName } from '../dtype.js';
import type { Graph } from '../graph.js';
import { formatType } from '../types.js';
import type { ValueType } from '../types.js';
import type { Value } from '../value.js';

/**
 * Values whose declared type (from the file) contradicts inference: another kind, element type or
 * rank, or a different static size where both are static. Unknown and symbolic parts never contradict.
 */
export function checkDeclaredTypes(graph: Graph, inferred: Map<Value, ValueType>): string[] {
  const problems: string[] = [];
  for (const g of graph.allGraphs()) {
    for (const v of g.ownValues()) {
      const t = inferred.get(v);
      if (!v.type || !t) continue;
      const why = contradiction(v.type, t);
      if (why) problems.push(`'${v.name}' is declared ${formatType(v.type)} but inference gives ${formatType(t)} (${why})`);
    }
  }
  return problems;
}

/** Why two types cannot describe the same value, or undefined when they can. */
export function contradiction(declared: ValueType | undefined, inferred: ValueType | undefined): string | undefined {
  if (!declared || !inferred) return undefined;
  if (declared.kind !== inferred.kind) return `${declared.kind} vs ${inferred.kind}`;
  switch (declared.kind) {
    case 'tensor':
    case 'sparse_tensor': {
      const i = inferred as typeof declared;
      if (declared.dtype !== i.dtype) return `element type ${dtypeName(declared.dtype)} vs ${dtypeName(i.dtype)}`;
      if (!declared.shape || !i.shape) return undefined;
      if (declared.shape.length !== i.shape.length) return `rank ${declared.shape.length} vs ${i.shape.length}`;
      for (let k = 0; k < declared.shape.length; k++) {
        const [a, b] = [declared.shape[k], i.shape[k]];
        if (typeof a === 'number' && typeof b === 'number' && a !== b) return `dim ${k} is ${a} vs ${b}`;
      }
      return undefined;
    }
    case 'sequence':
    case 'optional':
      return contradiction(declared.elem, (inferred as typeof declared).elem);
    case 'map': {
      const i = inferred as typeof declared;
      if (declared.key !== i.key) return `map key ${dtypeName(declared.key)} vs ${dtypeName(i.key)}`;
      return contradiction(declared.value, i.value);
    }
  }
}
