/**
 * col2im for ConvTranspose: adds column matrix rows (output channel × kernel tap) back onto the
 * output image, each input position landing at position·stride − padBegin + tap·dilation.
 */
import type { WindowGeometry } from './geometry.js';

/** y[m][…] += cols[(m·taps + tap)][inPos] for `channels` output channels starting at yOff. */
export function col2im(cols: ArrayLike<number>, g: WindowGeometry, channels: number, y: Float32Array | Float64Array, yOff: number): void {
  const [ID, IH, IW] = g.inSize;
  const [OD, OH, OW] = g.outSize;
  const [KD, KH, KW] = g.kernel;
  const [SD, SH, SW] = g.strides;
  const [DD, DH, DW] = g.dilations;
  const [PD, PH, PW] = g.padBegin;
  const outPlane = OD * OH * OW;
  let row = 0;
  for (let m = 0; m < channels; m++) {
    const yc = yOff + m * outPlane;
    for (let kd = 0; kd < KD; kd++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++, row++) {
          let c = row * ID * IH * IW;
          for (let id = 0; id < ID; id++) {
            const od = id * SD - PD + kd * DD;
            for (let ih = 0; ih < IH; ih++) {
              const oh = ih * SH - PH + kh * DH;
              const inside = od >= 0 && od < OD && oh >= 0 && oh < OH;
              const yRow = yc + (od * OH + oh) * OW;
              for (let iw = 0; iw < IW; iw++, c++) {
                const ow = iw * SW - PW + kw * DW;
                if (inside && ow >= 0 && ow < OW) y[yRow + ow] += cols[c];
              }
            }
          }
        }
      }
    }
  }
}
