// The neural generative models.
export { VAE, type VAEOptions, type ElboEstimator, type ElboTerms } from './vae.js';
export type { FitOptions, StepInfo, EpochInfo, FitReport } from './train.js';
