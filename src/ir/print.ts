import type { Attribute } from './attribute.js';
import { DType, dtypeName } from './dtype.js';
import type { Graph } from './graph.js';
import type { Model } from './model.js';
import type { Node } from './node.js';
import type { Tensor } from './tensor.js';
import { formatShape, formatType } from './types.js';
import type { Value } from './value.js';

export interface PrintOptions {
  /** Tensors with at most this many elements are printed in full; larger ones as a content hash. */
  inlineElements?: number;
}

/** A readable, diffable dump of the IR. Two models print the same iff their IR is the same. */
export function printModel(model: Model, options: PrintOptions = {}): string {
  const p = new Printer(options.inlineElements ?? 8);
  const opsets = [...model.opsets].map(([d, v]) => `${d === '' ? 'ai.onnx' : d}=${v}`).join(', ');
  p.line(`model ir_version=${model.irVersion} opsets={${opsets}}`);
  if (model.producerName || model.producerVersion) p.line(`producer ${q(model.producerName)} ${q(model.producerVersion)}`);
  if (model.domain || model.modelVersion) p.line(`domain ${q(model.domain)} model_version=${model.modelVersion}`);
  if (model.docString) p.line(`doc ${q(model.docString)}`);
  for (const [k, v] of model.metadata) p.line(`metadata ${q(k)} = ${q(v)}`);
  for (const t of model.trainingInfo) p.line(`training_info <${t.byteLength} bytes fnv:${fnv(t)}>`);
  p.graph(model.graph, 'graph');
  for (const f of model.functions) {
    const opsetText = [...f.opsets].map(([d, v]) => `${d === '' ? 'ai.onnx' : d}=${v}`).join(', ');
    p.line(`function ${f.domain ? f.domain + '::' : ''}${f.name} attributes=[${f.attributes.join(', ')}] opsets={${opsetText}}${f.docString ? ' doc ' + q(f.docString) : ''}`);
    p.graph(f.body, 'body');
  }
  return p.text();
}

export function printGraph(graph: Graph): string {
  const p = new Printer(8);
  p.graph(graph, 'graph');
  return p.text();
}

class Printer {
  private lines: string[] = [];
  private indent = '';

  constructor(private readonly inlineElements: number) {}

  line(s: string): void {
    this.lines.push(this.indent + s);
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }

  graph(g: Graph, keyword: string): void {
    this.line(`${keyword} ${q(g.name)} {`);
    const outer = this.indent;
    this.indent += '  ';
    if (g.docString) this.line(`doc ${q(g.docString)}`);
    for (const v of g.inputs) this.line(`input ${this.decl(v)}${v.initializer ? ' = ' + this.tensor(v.initializer, false) : ''}`);
    for (const v of g.initializers) if (!v.isGraphInput) this.line(`init ${v.type ? this.decl(v) : '%' + v.name} = ${this.tensor(v.initializer!, false)}`);
    for (const n of g.nodes) this.node(n);
    for (const v of g.outputs) this.line(`output ${this.decl(v)}`);
    this.indent = outer;
    this.line('}');
  }

  private decl(v: Value): string {
    return `%${v.name}: ${formatType(v.type)}${v.docString ? ' doc ' + q(v.docString) : ''}`;
  }

  private node(n: Node): void {
    const outs = n.outputs.map((v) => (v ? `%${v.name}` + (v.type ? `: ${formatType(v.type)}` : '') : '_')).join(', ');
    const ins = n.inputs.map((v) => (v ? `%${v.name}` : '_')).join(', ');
    const simple = n.attributes.filter((a) => a.type !== 'graph' && a.type !== 'graphs');
    const attrs = simple.length ? ` {${simple.map((a) => `${a.name}=${this.attribute(a)}`).join(', ')}}` : '';
    const name = n.name ? `  # ${q(n.name)}` : '';
    const doc = n.docString ? ` doc ${q(n.docString)}` : '';
    this.line(`${outs} = ${n.qualifiedOp}(${ins})${attrs}${name}${doc}`);
    const outer = this.indent;
    this.indent += '    ';
    for (const a of n.attributes) {
      if (a.type === 'graph') this.graph(a.value, `${a.name}:`);
      if (a.type === 'graphs') a.value.forEach((g, i) => this.graph(g, `${a.name}[${i}]:`));
    }
    this.indent = outer;
  }

  private attribute(a: Attribute): string {
    const ref = a.refAttrName ? `@${a.refAttrName} ` : '';
    const doc = a.docString ? ` doc ${q(a.docString)}` : '';
    return ref + this.attributeValue(a) + doc;
  }

  private attributeValue(a: Attribute): string {
    switch (a.type) {
      case 'float':
        return f32(a.value);
      case 'int':
        return String(a.value);
      case 'string':
        return q(a.value);
      case 'tensor':
      case 'sparse_tensor':
        return this.tensor(a.value);
      case 'type_proto':
        return formatType(a.value);
      case 'floats':
        return `[${a.value.map(f32).join(', ')}]`;
      case 'ints':
        return `[${a.value.join(', ')}]`;
      case 'strings':
        return `[${a.value.map(q).join(', ')}]`;
      case 'tensors':
      case 'sparse_tensors':
        return `[${a.value.map((t) => this.tensor(t)).join(', ')}]`;
      case 'type_protos':
        return `[${a.value.map(formatType).join(', ')}]`;
      case 'graph':
      case 'graphs':
        return '<graph>';
    }
  }

  private tensor(t: Tensor, withName = true): string {
    const head = `${t.source.kind === 'sparse' ? 'sparse ' : ''}${dtypeName(t.dtype)}${formatShape(t.dims)}`;
    const name = t.name && withName ? ` ${q(t.name)}` : '';
    if (t.dtype === DType.STRING) {
      const s = t.stringData();
      return s.length <= this.inlineElements ? `${head}${name} [${s.map(q).join(', ')}]` : `${head}${name} <fnv:${fnv(new TextEncoder().encode(s.join('\0')))}>`;
    }
    if (t.size <= this.inlineElements) {
      const values = t.dtype === DType.FLOAT ? Array.from(t.data as Float32Array, f32) : t.dtype === DType.DOUBLE ? Array.from(t.data as Float64Array, num) : Array.from(t.data as ArrayLike<unknown>, String);
      return `${head}${name} [${values.join(', ')}]`;
    }
    return `${head}${name} <fnv:${fnv(t.rawBytes())}>`;
  }
}

function q(s: string): string {
  return JSON.stringify(s);
}

/** Shortest text that reads back to the same float, with -0 kept visible. */
function num(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Shortest decimal that reads back to the same float32 (attributes and float tensors are float32). */
function f32(x: number): string {
  if (!Number.isFinite(x) || Object.is(x, -0)) return num(x);
  for (let digits = 1; digits <= 9; digits++) {
    const text = x.toPrecision(digits);
    if (Math.fround(Number(text)) === x) return String(Number(text));
  }
  return String(x);
}

/** FNV-1a over the bytes: a fingerprint for diffs, not a security hash. */
export function fnv(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
