// Implicit im2col: packs B panels for the forward convolution GEMM straight
// from the image, skipping the col buffer. B is the im2col matrix
//   B(r, j) = x[c, i·s + p − pad, jj·s + q − pad]   (0 outside the image),
//   r = (c·kh + p)·kw + q,  j = i·ow + jj,
// packed as packB would: panels of NR pixels, NR values per r.
import { NR } from './pack';

// geometry of the current convolution (set by setConvGeometry before the gemm)
let gC = 0, gH = 0, gW = 0, gKh = 0, gKw = 0, gS = 1, gPad = 0, gOw = 0;

export function setConvGeometry(c: i32, h: i32, w: i32, kh: i32, kw: i32, s: i32, pad: i32, ow: i32): void {
  gC = c; gH = h; gW = w; gKh = kh; gKw = kw; gS = s; gPad = pad; gOw = ow;
}

/** Pack rows p0..p0+kc−1 and pixels j0..j0+nc−1 of the implicit im2col of image x. scratch: 2·NR i32. */
export function packBConv(dst: usize, x: usize, p0: i32, kc: i32, j0: i32, nc: i32, scratch: usize): void {
  for (let cb = 0; cb < nc; cb += NR) {
    const cols = min(NR, nc - cb);
    // top-left input corner (y0, x0) of each pixel of the panel
    for (let t = 0; t < NR; t++) {
      const j = j0 + cb + min(t, cols - 1);
      const i = j / gOw, jj = j - i * gOw;
      store<i32>(scratch + (<usize>t << 2), i * gS - gPad);
      store<i32>(scratch + (<usize>(NR + t) << 2), jj * gS - gPad);
    }
    const y0a = load<i32>(scratch), x0a = load<i32>(scratch + (<usize>NR << 2));
    // one output row, stride 1, full panel: the NR pixels read NR consecutive floats
    const sameRow = cols == NR && gS == 1 && load<i32>(scratch + (<usize>(NR - 1) << 2)) == y0a;
    let r = p0;
    let ch = r / (gKh * gKw);
    let rem = r - ch * gKh * gKw;
    let p = rem / gKw, q = rem - p * gKw;
    for (let k = 0; k < kc; k++) {
      const d = dst + (<usize>(k * NR) << 2);
      const plane = x + (<usize>(ch * gH * gW) << 2);
      const y = y0a + p, xs = x0a + q;
      if (sameRow && y >= 0 && y < gH && xs >= 0 && xs + NR <= gW) {
        const src = plane + (<usize>(y * gW + xs) << 2);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      } else {
        for (let t = 0; t < NR; t++) {
          const yy = load<i32>(scratch + (<usize>t << 2)) + p, xx = load<i32>(scratch + (<usize>(NR + t) << 2)) + q;
          const inside = t < cols && yy >= 0 && yy < gH && xx >= 0 && xx < gW;
          store<f32>(d + (<usize>t << 2), inside ? load<f32>(plane + (<usize>(yy * gW + xx) << 2)) : 0);
        }
      }
      // next r: q, then p, then channel
      if (++q == gKw) { q = 0; if (++p == gKh) { p = 0; ch++; } }
    }
    dst += <usize>(kc * NR) << 2;
  }
}
