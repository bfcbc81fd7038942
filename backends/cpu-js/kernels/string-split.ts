/**
 * StringSplit (opset 20): splits every string at `delimiter`, or at runs of whitespace when there is
 * none (Python's str.split, which the ONNX reference uses), at most `maxsplit` times. Y holds the
 * pieces padded with empty strings to the longest row; Z the piece counts.
 */
import { DType } from '../../../src/ir/dtype.js';
import { Tensor, elementCount } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

/** Python's str.isspace characters. */
const SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function splitWhitespace(s: string, maxsplit: number): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && SPACE.test(s[i])) i++;
    if (i === s.length) break;
    if (parts.length === maxsplit) {
      parts.push(s.slice(i));
      break;
    }
    const start = i;
    while (i < s.length && !SPACE.test(s[i])) i++;
    parts.push(s.slice(start, i));
  }
  return parts;
}

function splitAt(s: string, delimiter: string, maxsplit: number): string[] {
  const parts = s.split(delimiter);
  return parts.length - 1 > maxsplit ? [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(delimiter)] : parts;
}

registerKernel({
  op: 'StringSplit',
  since: 20,
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.STRING) throw unsupportedType(node, x.dtype);
    const delimiter = node.getString('delimiter', '');
    const maxsplit = node.getInt('maxsplit') ?? Infinity;
    const n = elementCount(x.dims);
    return (inputs, rc) => {
      const words = tensorInput(node, inputs, 0).stringData();
      const pieces = words.map((w) => (delimiter ? splitAt(w, delimiter, maxsplit) : splitWhitespace(w, maxsplit)));
      const width = pieces.reduce((m, p) => Math.max(m, p.length), 0);
      const y = new Array<string>(n * width).fill('');
      pieces.forEach((p, i) => p.forEach((s, k) => (y[i * width + k] = s)));
      const z = rc.output(1, DType.INT64, x.dims);
      const counts = z.data as BigInt64Array;
      pieces.forEach((p, i) => (counts[i] = BigInt(p.length)));
      return [new Tensor(DType.STRING, [...x.dims, width], y), z];
    };
  },
});
