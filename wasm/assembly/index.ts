// The latentkit WASM module: every exported kernel, arrays as byte offsets into
// this module's memory (owned and grown by the TypeScript side, which places
// everything above heapBase()). Nothing here allocates; kernels that need
// scratch take a trailing `ws` offset (sizes from the *WorkspaceBytes exports).
export { matmul } from './matmul';
export { gemm, gemmWorkspaceBytes } from './gemm';
export { logsumexp, softmax, reduce } from './reduce';
export { unary, binary, biasAct, biasActGrad, bceLogits, bceLogitsGrad, reparam, reparamGrad, klStdNormal, klStdNormalGrad } from './elementwise';
export { up2Conv2d, up2Conv2dBackwardInput, up2Conv2dBackwardWeight } from './up2conv';
export { conv2d, conv2dBias, conv2dBackwardInput, conv2dBackwardWeight, convWorkspaceBytes } from './conv2d';
export { covariance, covarianceWorkspaceBytes, dgemm, cholesky, triSolve, lu, luSolve, qrQ } from './linalg';
export { eigh } from './eigh';
export { kmeansAssign, minSqDist, gaussianLogProb, mixtureMoments, mixtureScatter, mixtureResponsibilities, classicalWorkspaceBytes } from './classical';
export { maxPool2d, maxPool2dBackward, upsample2d, upsample2dBackward } from './pool';
export { adam } from './optim';
export { takeColumns, scatterColumns } from './columns';

/** First free byte after the static data: the TS arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 when built with relaxed SIMD (fused multiply-add), else 0. */
export function relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
