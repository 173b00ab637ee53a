// lk.flows: bijectors, their composition, TransformedDistribution (change of
// variables), and discrete flows on categorical data.
export { Bijector, Inverse } from './bijector.js';
export { Affine, Exp, Reciprocal, Sigmoid, LeakyReLU } from './elementwise.js';
export { AdditiveCoupling, Scale, type CouplingNet, type CouplingOptions } from './coupling.js';
export { Compose } from './compose.js';
export { TransformedDistribution } from './transformed.js';
export { DiscreteFlow, ModularCoupling, factorizedBaseline, type DiscreteFlowOptions, type DiscreteFitOptions } from './discrete.js';
