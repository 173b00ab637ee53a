// The generators' numbers side by side for the report: each model's held-out
// likelihood (or its bound) in nats per digit and bits per dimension, the
// digit classifier's verdict on its samples, and its run time.
import type { CommandResult } from './command.js';
import { barChart, type ChartSpec } from './plot/vega.js';

export interface GeneratorRow {
  model: string; section: string; measure: string;
  nats?: number; bitsPerDim?: number; confident?: number; asRequested?: number; seconds: number;
}

export const GENERATOR_NOTE = 'Every generator scored the same way: a 10-nearest-neighbour classifier fitted on 2,000 real digits that no model trains or is tested on labels 100 samples of each model; the column is the fraction whose neighbours agree at least 8 to 2 (for the CVAE also the fraction labelled as the class it was asked for). The likelihoods are not all on one footing: the VAE, CVAE and GM-VAE give a lower bound (ELBO) on grey-level pixels under a Bernoulli decoder, the Bernoulli mixture an exact log-likelihood of binarised pixels, NICE an exact density of dequantised 8-bit pixels (bits per dimension on the 0..255 scale). Bits per dimension = −log-likelihood / (784 ln 2).';

const LN2 = Math.LN2, D = 784;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function generatorRows(byName: Map<string, CommandResult>): GeneratorRow[] {
  const rows: GeneratorRow[] = [];
  const ok = (m: string): CommandResult | undefined => { const r = byName.get(m); return r && !r.error ? r : undefined; };
  const bits = (nats?: number): number | undefined => (nats === undefined ? undefined : -nats / (D * LN2));
  const bm = ok('bernoulli-mixture');
  if (bm) {
    for (const [key, v] of Object.entries(bm.metrics)) {
      if (!/^k\d+$/.test(key) || !v || typeof v !== 'object') continue;
      const m = v as Record<string, unknown>;
      rows.push({ model: `Bernoulli mixture K = ${key.slice(1)}`, section: 'bernoulli-mixture', measure: 'log-likelihood (binarised)', nats: num(m.heldOutLogLikelihood), bitsPerDim: num(m.heldOutBitsPerDim), confident: num(m.confidentFraction), seconds: bm.seconds });
    }
  }
  for (const [name, label] of [['vae', 'VAE'], ['cvae', 'CVAE'], ['gmvae', 'GM-VAE']] as const) {
    const r = ok(name);
    if (!r) continue;
    const e = num(r.metrics.testElbo);
    rows.push({ model: label, section: name, measure: name === 'cvae' ? 'conditional ELBO' : 'ELBO', nats: e, bitsPerDim: bits(e), confident: num(r.metrics.confidentFraction), asRequested: num(r.metrics.labelledAsRequested), seconds: r.seconds });
  }
  const gan = ok('gan');
  if (gan) rows.push({ model: 'GAN', section: 'gan', measure: 'none (no likelihood)', confident: num(gan.metrics.confidentFraction), seconds: gan.seconds });
  const nice = ok('nice');
  if (nice) {
    const b = num(nice.metrics.testBitsPerDim);
    rows.push({ model: 'NICE', section: 'nice', measure: 'log-likelihood (dequantised 8-bit)', bitsPerDim: b, nats: b === undefined ? undefined : -b * D * LN2, confident: num(nice.metrics.confidentFraction), seconds: nice.seconds });
  }
  return rows;
}

/** The classifier's verdict per generator as a bar chart. */
export function comparisonChart(rows: GeneratorRow[]): ChartSpec | null {
  const bars = rows.flatMap((r) => [
    ...(r.confident !== undefined ? [{ category: r.model, value: r.confident, series: 'confidence ≥ 0.8' }] : []),
    ...(r.asRequested !== undefined ? [{ category: r.model, value: r.asRequested, series: 'labelled as requested' }] : []),
  ]);
  if (!bars.length) return null;
  return barChart('Samples the digit classifier recognises', 'generator', 'fraction of 100 samples', bars, 'criterion');
}
