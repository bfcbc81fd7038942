/** How far a changed model's outputs are from the original's, and how often a classifier is right. */
import { quoted, ShearsError } from '../error.js';
import { DType, dtypeName } from '../ir/dtype.js';
import type { Tensor } from '../ir/tensor.js';

export interface OutputDeviation {
  output: string;
  maxAbsDiff: number;
  /** Cosine similarity of the flattened outputs: 1 when equal in direction (both all-zero counts as equal). */
  cosine: number;
  /** For classifier outputs ([N, C] with C > 1): fraction of rows whose argmax agrees; else null. */
  top1Agreement: number | null;
}

export function compareOutputs(reference: Readonly<Record<string, Tensor>>, candidate: Readonly<Record<string, Tensor>>): OutputDeviation[] {
  return Object.entries(reference).map(([name, ref]) => {
    const got = candidate[name];
    if (!got || got.dims.length !== ref.dims.length || got.dims.some((d, i) => d !== ref.dims[i])) {
      throw new ShearsError('E_SHAPE', `output ${quoted(name)} has shape [${got?.dims.join(',') ?? 'missing'}] after the change, [${ref.dims.join(',')}] before`, { tensor: name });
    }
    const a = ref.toNumbers();
    const b = got.toNumbers();
    let maxAbsDiff = 0;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - b[i]);
      if (d > maxAbsDiff || Number.isNaN(d)) maxAbsDiff = d;
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    const cosine = na === 0 && nb === 0 ? 1 : na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
    const ra = argmaxRows(ref);
    const rb = argmaxRows(got);
    const top1Agreement = ra && rb ? agreement(ra, rb) : null;
    return { output: name, maxAbsDiff, cosine, top1Agreement };
  });
}

/** Row-wise argmax of a classifier output [N, C] (C > 1, numeric); null for any other output. */
export function argmaxRows(t: Tensor): Int32Array | null {
  if (t.dims.length !== 2 || t.dims[1] < 2 || t.dtype === DType.STRING) return null;
  const [rows, classes] = t.dims;
  const v = t.toNumbers();
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (v[r * classes + c] > v[r * classes + best]) best = c;
    out[r] = best;
  }
  return out;
}

/** Fraction of rows whose argmax equals the label; labels are integers of shape [N] or [N, 1]. */
export function accuracy(output: Tensor, labels: Tensor): number {
  const predicted = argmaxRows(output);
  if (!predicted) throw new ShearsError('E_SHAPE', `output ${quoted(output.name)} of shape [${output.dims.join(',')}] is not a classifier output [N, classes]; accuracy needs one`, { tensor: output.name });
  if (labels.size !== predicted.length || !INTEGER_LABELS.has(labels.dtype)) {
    throw new ShearsError(
      'E_SHAPE',
      `labels are ${dtypeName(labels.dtype)}[${labels.dims.join(',')}], but the output has ${predicted.length} rows; give ${predicted.length} integer class labels`,
      { tensor: labels.name },
    );
  }
  return agreement(predicted, Int32Array.from(labels.toNumbers()));
}

const INTEGER_LABELS = new Set([DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8, DType.UINT16, DType.UINT32, DType.UINT64]);

function agreement(a: Int32Array, b: Int32Array): number {
  if (a.length === 0) return 1;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
