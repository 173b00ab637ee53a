// lk.dist: log-densities, reparameterised draws and KL divergences.
export {
  logpdfDiagonalGaussian, logpdfDiagonalGaussianLogVar, sampleDiagonalGaussian, sampleDiagonalGaussianLogVar,
  klStdNormal, klDiagonalGaussianLogVar, normalNoise, type SampleOptions,
} from './gaussian.js';
export { logpdfBernoulli, logpdfBernoulliLogits, sampleBernoulli } from './bernoulli.js';
export { klGaussian } from '../models/kl/gaussian.js';
