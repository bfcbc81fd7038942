/**
 * TfIdfVectorizer: counts the pool's n-grams (of min..max length, items up to max_skip_count apart)
 * in each row, as term frequencies, IDF indicators or TF·IDF. Unigrams are counted once per
 * position whatever the skip, and weights are read by output index, as onnxruntime does.
 */
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import type { Node } from '../../../src/ir/node.js';
import { registerKernel } from '../kernel.js';
import { elementClass, tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

type Item = number | string;

/** A trie over the pool's n-grams: each node knows the output index of the gram ending there (-1: none). */
interface TrieNode {
  output: number;
  next: Map<Item, TrieNode>;
}

function buildTrie(node: Node, pool: Item[], counts: number[], indexes: number[]): TrieNode {
  const root: TrieNode = { output: -1, next: new Map() };
  let gram = 0;
  counts.forEach((start, i) => {
    const n = i + 1;
    const end = i + 1 < counts.length ? counts[i + 1] : pool.length;
    if ((end - start) % n !== 0 || start > end) throw new ShearsError('E_MODEL_INVALID', `${describe(node)}: pool section for ${n}-grams is not a whole number of grams`, { node: node.name });
    for (let at = start; at < end; at += n) {
      let t = root;
      for (let k = 0; k < n; k++) {
        let child = t.next.get(pool[at + k]);
        if (!child) t.next.set(pool[at + k], (child = { output: -1, next: new Map() }));
        t = child;
      }
      if (gram >= indexes.length) throw new ShearsError('E_MODEL_INVALID', `${describe(node)}: more pool n-grams than ngram_indexes`, { node: node.name });
      t.output = indexes[gram++];
    }
  });
  return root;
}

registerKernel({
  op: 'TfIdfVectorizer',
  since: 9,
  supports: (node) => {
    const mode = node.getString('mode', 'TF');
    return ['TF', 'IDF', 'TFIDF'].includes(mode) ? true : `mode '${mode}' is not TF, IDF or TFIDF`;
  },
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    const kind = elementClass(x.dtype);
    if (kind !== 'string' && x.dtype !== DType.INT32 && x.dtype !== DType.INT64) throw unsupportedType(node, x.dtype);
    if (x.dims.length !== 1 && x.dims.length !== 2) throw new ShearsError('E_SHAPE', `${describe(node)}: input must be [C] or [N, C]`, { node: node.name });
    const strings = node.attr('pool_strings');
    const pool: Item[] = kind === 'string' ? (strings?.type === 'strings' ? strings.value : []) : (node.getInts('pool_int64s') ?? []);
    const indexes = node.getInts('ngram_indexes', []);
    const trie = buildTrie(node, pool, node.getInts('ngram_counts', []), indexes);
    const minN = node.getInt('min_gram_length', 1);
    const maxN = node.getInt('max_gram_length', 1);
    const maxSkip = node.getInt('max_skip_count', 0);
    const mode = node.getString('mode', 'TF');
    const weights = node.getFloats('weights');
    const width = Math.max(0, ...indexes) + 1;
    const rows = x.dims.length === 2 ? x.dims[0] : 1;
    const length = x.dims[x.dims.length - 1];
    return (inputs, rc) => {
      const src = tensorInput(node, inputs, 0).data as ArrayLike<number | bigint | string>;
      const out = rc.output(0, DType.FLOAT, x.dims.length === 2 ? [rows, width] : [width]);
      const Y = out.data as Float32Array;
      Y.fill(0);
      const item = (i: number): Item => (kind === 'big' ? Number(src[i]) : (src[i] as Item));
      for (let r = 0; r < rows; r++) {
        const row = r * length;
        let shortest = minN;
        for (let skip = 1; skip <= maxSkip + 1; skip++) {
          for (let start = 0; start < length && start + skip * (shortest - 1) < length; start++) {
            let t: TrieNode | undefined = trie;
            for (let n = 1, at = start; n <= maxN && at < length; n++, at += skip) {
              t = t.next.get(item(row + at));
              if (!t) break;
              if (n >= shortest && t.output >= 0) Y[r * width + t.output]++;
            }
          }
          // Unigrams are counted on the first pass only.
          if (shortest === 1) shortest = 2;
          if (shortest > maxN) break;
        }
      }
      if (mode !== 'TF') {
        for (let r = 0; r < rows; r++) {
          for (let k = 0; k < width; k++) {
            const at = r * width + k;
            const w = weights ? weights[k] : 1;
            Y[at] = mode === 'IDF' ? (Y[at] > 0 ? w : 0) : Y[at] * w;
          }
        }
      }
      return [out];
    };
  },
});
