// Reference permutation copy.

export function transpose(out: Float32Array, x: Float32Array, shape: readonly number[], perm: readonly number[]): void {
  const nd = shape.length;
  const strides = new Array<number>(nd);
  let s = 1;
  for (let i = nd - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
  const outShape = perm.map((p) => shape[p]);
  const src = perm.map((p) => strides[p]); // stride in x for each output axis
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[off];
    for (let ax = nd - 1; ax >= 0; ax--) {
      idx[ax]++;
      off += src[ax];
      if (idx[ax] < outShape[ax]) break;
      off -= src[ax] * outShape[ax];
      idx[ax] = 0;
    }
  }
}
