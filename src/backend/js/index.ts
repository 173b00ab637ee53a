// The TypeScript reference backend: every kernel of the contract, float64 inside.
import type { Kernels } from '../contract.js';
import { unary, binary } from './elementwise.js';
import { reduce, logsumexp, softmax } from './reduce.js';
import { matmul } from './matmul.js';
import { conv2d, conv2dBackwardInput, conv2dBackwardWeight, conv2dBias } from './conv2d.js';
import { up2Conv2d, up2Conv2dBackwardInput, up2Conv2dBackwardWeight } from './up2conv.js';
import { maxPool2d, maxPool2dBackward, upsample2d, upsample2dBackward } from './pool.js';
import { transpose } from './transpose.js';
import { adam } from './optim.js';
import { biasAct, biasActGrad, bceLogits, bceLogitsGrad, reparam, reparamGrad, klStdNormal, klStdNormalGrad } from './fused.js';
import { covariance, dgemm, cholesky, triSolve, lu, luSolve, qrQ } from './linalg.js';
import { eigh } from './eigh.js';
import { takeColumns, scatterColumns } from './columns.js';
import { kmeansAssign, minSqDist, mixtureMoments, mixtureScatter, gaussianLogProb, mixtureResponsibilities, linearScores } from './classical.js';

export const jsKernels: Kernels = {
  unary, binary, reduce, logsumexp, softmax, matmul, conv2d, conv2dBackwardInput, conv2dBackwardWeight, conv2dBias,
  up2Conv2d, up2Conv2dBackwardInput, up2Conv2dBackwardWeight,
  maxPool2d, maxPool2dBackward, upsample2d, upsample2dBackward, transpose, adam,
  covariance, dgemm, eigh, cholesky, triSolve, lu, luSolve, qrQ,
  kmeansAssign, minSqDist, mixtureMoments, mixtureScatter, gaussianLogProb, mixtureResponsibilities, linearScores,
  biasAct, biasActGrad, bceLogits, bceLogitsGrad, reparam, reparamGrad, klStdNormal, klStdNormalGrad,
  takeColumns, scatterColumns,
};
