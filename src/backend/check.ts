import { ShearsError } from '../error.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';

/**
 * Every node of the graph and its subgraphs that the back end cannot run, reported at once:
 * one line per distinct (op, opset, reason), so a user sees the whole gap before anything runs.
 */
export function checkSupported(graph: Graph, backendName: string, supports: (node: Node) => true | string): void {
  const problems = new Map<string, string[]>();
  for (const g of graph.allGraphs()) {
    for (const node of g.nodes) {
      const verdict = supports(node);
      if (verdict === true) continue;
      const line = `op ${node.qualifiedOp} (opset ${node.opset}) is not supported by ${backendName}: ${verdict}`;
      const names = problems.get(line) ?? [];
      if (node.name) names.push(node.name);
      problems.set(line, names);
    }
  }
  if (problems.size === 0) return;
  const lines = [...problems].map(([line, names]) => (names.length ? `${line} (node${names.length > 1 ? 's' : ''} ${listNames(names)})` : line));
  const first = [...problems.values()][0][0];
  throw new ShearsError('E_UNSUPPORTED_OP', lines.join('\n'), first ? { node: first } : {});
}

function listNames(names: string[]): string {
  const shown = names.slice(0, 3).map((n) => `'${n}'`).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}
