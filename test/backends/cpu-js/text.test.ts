import { describe, expect, it } from 'vitest';
import { DType } from '../../../src/ir/dtype.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { attr, expectSameAsOrt, runCpuTensors, tensor } from './op-check.js';

const words = new Tensor(DType.STRING, [1, 5], ['Straße', 'Café', 'the', 'THE', 'Über']);

describe('text ops', () => {
  it('StringNormalizer without locale: per-character case mapping keeps ß, stopwords match case-insensitively', async () => {
    // onnxruntime needs an installed locale for this op, so the expected values are written out.
    const run = async (action: string, caseSensitive: number) =>
      (await runCpuTensors({ op: 'StringNormalizer', inputs: [words], attributes: [attr.string('case_change_action', action), attr.int('is_case_sensitive', caseSensitive), attr.strings('stopwords', ['the'])] }))[0];
    const upper = await run('UPPER', 0);
    expect(upper.dims).toEqual([1, 3]);
    expect(upper.stringData()).toEqual(['STRAßE', 'CAFÉ', 'ÜBER']);
    expect((await run('LOWER', 0)).stringData()).toEqual(['straße', 'café', 'über']);
    expect((await run('NONE', 1)).stringData()).toEqual(['Straße', 'Café', 'THE', 'Über']);
  });

  it('StringNormalizer leaves one empty string when every word is a stopword', async () => {
    const [y] = await runCpuTensors({ op: 'StringNormalizer', inputs: [new Tensor(DType.STRING, [2], ['a', 'A'])], attributes: [attr.strings('stopwords', ['a'])] });
    expect(y.dims).toEqual([1]);
    expect(y.stringData()).toEqual(['']);
  });

  it('TfIdfVectorizer TFIDF over int64 rows with skips and weights', async () => {
    const x = tensor(DType.INT64, [2, 8], [1, 2, 3, 2, 3, 4, 1, 2, 4, 4, 2, 3, 1, 1, 2, 3]);
    await expectSameAsOrt({
      op: 'TfIdfVectorizer',
      inputs: [x],
      attributes: [
        attr.string('mode', 'TFIDF'),
        attr.int('min_gram_length', 1),
        attr.int('max_gram_length', 3),
        attr.int('max_skip_count', 2),
        attr.ints('ngram_counts', [0, 3, 9]),
        attr.ints('ngram_indexes', [0, 1, 2, 3, 4, 5, 6, 7]),
        attr.ints('pool_int64s', [2, 3, 4, 1, 2, 2, 3, 4, 4, 2, 3, 1, 1, 2, 3]),
        attr.floats('weights', [1, 0.5, 2, 1.5, 1, 3, 0.25, 2]),
      ],
    });
  });

  it('TfIdfVectorizer IDF over strings, bigrams only', async () => {
    const x = new Tensor(DType.STRING, [6], ['a', 'b', 'c', 'a', 'b', 'd']);
    await expectSameAsOrt({
      op: 'TfIdfVectorizer',
      inputs: [x],
      attributes: [
        attr.string('mode', 'IDF'),
        attr.int('min_gram_length', 2),
        attr.int('max_gram_length', 2),
        attr.int('max_skip_count', 1),
        attr.ints('ngram_counts', [0, 0]),
        attr.ints('ngram_indexes', [0, 1, 2]),
        attr.strings('pool_strings', ['a', 'b', 'b', 'd', 'a', 'c']),
      ],
    });
  });
});
