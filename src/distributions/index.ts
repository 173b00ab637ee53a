// lk.dist: log-densities, reparameterised draws and KL divergences.
export {
  logpdfDiagonalGaussian, logpdfDiagonalGaussianLogVar, sampleDiagonalGaussian, sampleDiagonalGaussianLogVar,
  klStdNormal, klDiagonalGaussianLogVar, normalNoise, type SampleOptions,
} from './gaussian.js';
export { logpdfBernoulli, logpdfBernoulliLogits, sampleBernoulli } from './bernoulli.js';
export { klGaussian } from '../models/kl/gaussian.js';
// distribution classes (elementwise over a Tensor, as torch.distributions)
export { Normal, type LocScale } from './normal.js';
export { Cauchy } from './cauchy.js';
export { Logistic } from './logistic.js';
export { Uniform } from './uniform.js';
export { Categorical, oneHot } from './categorical.js';
export type { Distribution, DistributionOptions } from './params.js';
export { LocScaleDistribution } from './locscale.js';
