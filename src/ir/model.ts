import { Graph } from './graph.js';

/** A model-local function (FunctionProto); its body is a graph whose inputs are the formal parameters. */
export interface FunctionDef {
  name: string;
  domain: string;
  attributes: string[];
  opsets: Map<string, number>;
  body: Graph;
  docString: string;
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
