/**
 * StringNormalizer: drops stopwords (case-sensitively or not) from a [C] or [1, C] string tensor and
 * changes case. Case mapping is per character and locale-independent; a character whose case form
 * is longer (German ß → SS) is kept, as onnxruntime does.
 */
import { ShearsError } from '../../../src/error.js';
import { DType } from '../../../src/ir/dtype.js';
import { describe } from '../../../src/ir/node.js';
import { Tensor } from '../../../src/ir/tensor.js';
import { registerKernel } from '../kernel.js';
import { tensorInput, tensorTypeOf, unsupportedType } from '../tensors.js';

function changeCase(s: string, upper: boolean): string {
  let out = '';
  for (const ch of s) {
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
    out += mapped.length === ch.length ? mapped : ch;
  }
  return out;
}

registerKernel({
  op: 'StringNormalizer',
  since: 10,
  supports: (node) => {
    const action = node.getString('case_change_action', 'NONE');
    return ['NONE', 'LOWER', 'UPPER'].includes(action) ? true : `case_change_action '${action}' is not NONE, LOWER or UPPER`;
  },
  create(ctx) {
    const { node } = ctx;
    const x = tensorTypeOf(node, ctx.inputTypes[0], 0);
    if (x.dtype !== DType.STRING) throw unsupportedType(node, x.dtype);
    if (!(x.dims.length === 1 || (x.dims.length === 2 && x.dims[0] === 1))) {
      throw new ShearsError('E_SHAPE', `${describe(node)}: input must be [C] or [1, C], got [${x.dims.join(',')}]`, { node: node.name });
    }
    const action = node.getString('case_change_action', 'NONE');
    const caseSensitive = node.getInt('is_case_sensitive', 0) !== 0;
    const a = node.attr('stopwords');
    const stopwords = new Set((a?.type === 'strings' ? a.value : []).map((w) => (caseSensitive ? w : changeCase(w, false))));
    return (inputs) => {
      const words = tensorInput(node, inputs, 0).stringData();
      const kept = words.filter((w) => !stopwords.has(caseSensitive ? w : changeCase(w, false)));
      const result = action === 'NONE' ? kept : kept.map((w) => changeCase(w, action === 'UPPER'));
      if (result.length === 0) result.push('');
      const dims = x.dims.length === 1 ? [result.length] : [1, result.length];
      return [new Tensor(DType.STRING, dims, result)];
    };
  },
});
