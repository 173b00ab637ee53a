// The classical latent-variable models (re-exported by src/index.ts).
export { KMeans, type KMeansOptions } from './kmeans.js';
export { GaussianMixture, type GaussianMixtureOptions, type CovarianceType, type GaussianInit } from './mixture/gaussian.js';
export { BernoulliMixture, type BernoulliMixtureOptions, type BernoulliInit } from './mixture/bernoulli.js';
export { SemiSupervisedGDA, type SemiSupervisedGDAOptions } from './mixture/semi-supervised.js';
export { type MixtureOptions, type IterationCallback } from './mixture/base.js';
export { ClassicalModel, type ClassicalClass } from './persist.js';
export { PCA, type PCAOptions } from './pca.js';
export { ICA, amariIndex, type ICAOptions } from './ica.js';
/** lk.kl: KL divergences between Gaussians (closed form and Monte Carlo) and fitting a Gaussian to a 1-D target by forward or reverse KL. */
export * as kl from './kl/index.js';
