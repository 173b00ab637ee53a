// The neural generative models.
export { VAE, type VAEOptions, type ElboEstimator, type ElboTerms } from './vae.js';
export type { FitOptions, StepInfo, EpochInfo, FitReport } from './train.js';
export { CVAE, type CVAEOptions } from './cvae.js';
export { NICE, type NICEOptions } from './nice.js';
export { GMVAE, type GMVAEOptions, type GMVAETerms } from './gmvae.js';
export { GAN, type GANOptions, type GANFitOptions } from './gan.js';
