import { Graph } from './graph.js';
import type { Node } from './node.js';

/** A model-local function (FunctionProto); its body is a graph whose inputs are the formal parameters. */
export interface FunctionDef {
  name: string;
  domain: string;
  attributes: string[];
  opsets: Map<string, number>;
  body: Graph;
  docString: string;
}

/** The model-local function that `node` calls, if it calls one. */
export function calledFunction(functions: readonly FunctionDef[] | undefined, node: Node): FunctionDef | undefined {
  return functions?.find((f) => f.name === node.opType && f.domain === node.domain);
}

export class Model {
  irVersion = 8;
  producerName = '';
  producerVersion = '';
  domain = '';
  modelVersion = 0;
  docString = '';
  metadata: [string, string][] = [];
  /** Opset imports, domain '' is the default ONNX domain. */
  readonly opsets: Map<string, number>;
  graph: Graph;
  functions: FunctionDef[] = [];
  /** TrainingInfoProto messages, carried through untouched as encoded bytes. */
  trainingInfo: Uint8Array[] = [];

  constructor(opsets: Map<string, number> = new Map([['', 17]])) {
    this.opsets = opsets;
    this.graph = new Graph(null, opsets);
  }
}
