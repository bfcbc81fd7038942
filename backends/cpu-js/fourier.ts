/**
 * Discrete Fourier transforms of one line: radix-2 FFT for power-of-two lengths, a direct O(n²)
 * sum over a precomputed twiddle table otherwise. Plans are made once per length and reused.
 */
export interface FourierPlan {
  n: number;
  cos: Float64Array;
  sin: Float64Array;
  /** Bit-reversal permutation, for power-of-two lengths. */
  reversed: Int32Array | null;
  scratchRe: Float64Array;
  scratchIm: Float64Array;
}

export function fourierPlan(n: number): FourierPlan {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  let reversed: Int32Array | null = null;
  if (n > 1 && (n & (n - 1)) === 0) {
    const bits = Math.log2(n);
    reversed = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      reversed[i] = r;
    }
  }
  return { n, cos, sin, reversed, scratchRe: new Float64Array(n), scratchIm: new Float64Array(n) };
}

/**
 * Transforms (re, im) in place: X[k] = Σ x[j]·e^(∓2πi·jk/n); the inverse (+) also divides by n.
 */
export function transform(plan: FourierPlan, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const { n, cos, sin, reversed, scratchRe, scratchIm } = plan;
  const sign = inverse ? 1 : -1;
  if (reversed) {
    for (let i = 0; i < n; i++) {
      const r = reversed[i];
      if (r > i) {
        let t = re[i];
        re[i] = re[r];
        re[r] = t;
        t = im[i];
        im[i] = im[r];
        im[r] = t;
      }
    }
    for (let size = 2; size <= n; size *= 2) {
      const half = size / 2;
      const step = n / size;
      for (let start = 0; start < n; start += size) {
        for (let j = 0; j < half; j++) {
          const wr = cos[j * step];
          const wi = sign * sin[j * step];
          const a = start + j;
          const b = a + half;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
        }
      }
    }
  } else {
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0, t = 0; j < n; j++, t = (t + k) % n) {
        const wr = cos[t];
        const wi = sign * sin[t];
        sr += re[j] * wr - im[j] * wi;
        si += re[j] * wi + im[j] * wr;
      }
      scratchRe[k] = sr;
      scratchIm[k] = si;
    }
    re.set(scratchRe);
    im.set(scratchIm);
  }
  if (inverse) {
    for (let k = 0; k < n; k++) {
      re[k] /= n;
      im[k] /= n;
    }
  }
}
