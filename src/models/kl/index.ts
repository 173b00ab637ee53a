// lk.kl: KL divergences between Gaussians (closed form and Monte-Carlo) and
// fitting a Gaussian to a target by forward or reverse KL.
export { klGaussian, type MeanLike, type CovLike } from './gaussian.js';
export { klMonteCarlo, klMonteCarloGaussian, type MonteCarloEstimate, type MonteCarloOptions } from './montecarlo.js';
export { fitGaussian, type FitGaussianOptions, type FitGaussianResult } from './fit.js';
