// Every model command, in the order of the report.
import type { Command } from './command.js';
import { kmeans } from './commands/kmeans.js';
import { gmm } from './commands/gmm.js';
import { bernoulliMixture } from './commands/bernoulli-mixture.js';
import { pca } from './commands/pca.js';
import { vae } from './commands/vae.js';
import { cvae } from './commands/cvae.js';
import { gmvae } from './commands/gmvae.js';
import { gan } from './commands/gan.js';
import { nice } from './commands/nice.js';
import { sslGda } from './commands/ssl-gda.js';
import { ica } from './commands/ica.js';
import { kl } from './commands/kl.js';

export const COMMANDS: Command[] = [
  bernoulliMixture, kmeans, gmm, sslGda, pca, ica, kl, vae, cvae, gmvae, gan, nice,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
