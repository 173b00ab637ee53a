// The report page: one HTML file that shows each model's figures (PNG image
// grids beside it, SVG charts inlined, WAV tracks as <audio>, tables) and
// numbers, with the backend and time taken, and a comparison of the generators.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from './command.js';
import type { Figure } from './context.js';
import { generatorRows, GENERATOR_NOTE } from './generators.js';
import type { Command } from './command.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
  if (Array.isArray(v)) return v.map(fmt).join(', ');
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${fmt(x)}`).join('; ');
  return String(v);
}

function metricsTable(m: Record<string, unknown>): string {
  const rows = Object.entries(m).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(fmt(v))}</td></tr>`).join('');
  return rows ? `<table class="metrics">${rows}</table>` : '';
}

export interface PageInput {
  commands: Command[];
  results: CommandResult[];
  pending: string[];
  totalSeconds: number;
  settings: string;
  machine: string;
  stopped: boolean;
  /** The report's folder (the SVG charts are read from there and inlined). */
  dir: string;
  /** The comparison chart of the generators (SVG), when any generator ran. */
  comparisonSvg?: string;
  /** The digit classifier on 1,000 real held-out digits: accuracy and the fraction it labels with confidence ≥ 0.8. */
  judge?: { accuracy: number; confident: number };
}

function figureHtml(model: string, f: Figure, dir: string): string {
  const cap = `<figcaption>${esc(f.caption)}</figcaption>`;
  const src = f.file ? esc(`${model}/${f.file}`) : '';
  switch (f.kind) {
    case 'svg': {
      const path = join(dir, model, f.file!);
      const svg = existsSync(path) ? readFileSync(path, 'utf8') : '';
      return `<figure class="chart">${svg}${cap}</figure>`;
    }
    case 'audio': return `<figure class="audio"><audio controls preload="auto" src="${src}"></audio>${cap}</figure>`;
    case 'table': {
      const t = f.table!;
      return `<figure class="table"><table><tr>${t.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${t.rows.map((r) => `<tr>${r.map((c) => `<td class="num">${esc(c)}</td>`).join('')}</tr>`).join('')}</table>${cap}</figure>`;
    }
    default: return `<figure><img src="${src}" alt="${esc(f.caption)}">${cap}</figure>`;
  }
}

/** The generators side by side: the numbers, the chart, and their samples. */
function comparison(p: PageInput, byName: Map<string, CommandResult>): string {
  const rows = generatorRows(byName);
  if (!rows.length) return '';
  const cell = (v: number | undefined, digits = 4): string => (v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(digits))));
  const table = `<table class="generators"><tr><th>model</th><th>held-out measure</th><th class="num">nats per digit</th><th class="num">bits per dim</th><th class="num">samples labelled with confidence ≥ 0.8</th><th class="num">labelled as the requested class</th><th class="num">seconds</th></tr>${
    rows.map((r) => `<tr><td><a href="#${r.section}">${esc(r.model)}</a></td><td>${esc(r.measure)}</td><td class="num">${cell(r.nats)}</td><td class="num">${cell(r.bitsPerDim)}</td><td class="num">${cell(r.confident, 3)}</td><td class="num">${cell(r.asRequested, 3)}</td><td class="num">${cell(r.seconds, 3)}</td></tr>`).join('')}</table>`;
  const samples = [['bernoulli-mixture', 'samples-k20.png', 'Bernoulli mixture (K = 20): binary samples'], ['vae', 'samples.png', 'VAE: decoder means at z ~ N(0, I)'], ['nice', 'samples.png', 'NICE: samples through the inverse flow']]
    .filter(([m, f]) => byName.get(m)?.figures.some((x) => x.file === f))
    .map(([m, f, c]) => `<figure><img src="${esc(`${m}/${f}`)}" alt="${esc(c)}"><figcaption>${esc(c)}</figcaption></figure>`).join('');
  return `<section class="model" id="generators" data-model="generators"><h2>The generators compared (000 P4: NICE vs VAE vs the Bernoulli mixture)</h2>
<p class="about">${esc(GENERATOR_NOTE)}${p.judge ? ` On 1,000 real held-out digits the classifier is right ${(100 * p.judge.accuracy).toFixed(1)}% of the time and confident for ${(100 * p.judge.confident).toFixed(1)}% of them: the ceiling for a generator.` : ''}</p>${table}
<div class="figures">${p.comparisonSvg ? `<figure class="chart">${p.comparisonSvg}<figcaption>The fraction of each generator's samples the digit classifier labels with confidence ≥ 0.8 (for the CVAE: labelled as the class asked for).</figcaption></figure>` : ''}${samples}</div></section>`;
}

function section(cmd: Command, r: CommandResult | undefined, pending: boolean, dir: string): string {
  const head = `<h2>${esc(cmd.title)} <code>latentkit ${esc(cmd.name)}</code></h2><p class="about">${esc(cmd.about)}</p>`;
  if (!r) {
    return `<section class="model" id="${cmd.name}" data-model="${cmd.name}">${head}<p class="note">${pending ? 'Not run: the report was stopped before this model.' : 'Not run.'}</p></section>`;
  }
  const status = r.error ? `<p class="error">Failed: ${esc(r.error)}</p>` : r.stopped ? '<p class="note">Stopped early by Ctrl-C; the figures show the model as it was.</p>' : '';
  const figs = r.figures.map((f) => figureHtml(cmd.name, f, dir)).join('\n');
  return `<section class="model" id="${cmd.name}" data-model="${cmd.name}">${head}
<p class="meta">backend <b>${esc(r.backend)}</b> · ${r.seconds.toFixed(1)} s</p>${status}
<div class="figures">${figs}</div>${metricsTable(r.metrics)}</section>`;
}

export function renderPage(p: PageInput): string {
  const byName = new Map(p.results.map((r) => [r.model, r]));
  const summary = p.commands.map((c) => {
    const r = byName.get(c.name);
    const state = !r ? 'not run' : r.error ? 'failed' : r.stopped ? 'stopped' : 'ok';
    return `<tr><td><a href="#${c.name}">${esc(c.name)}</a></td><td>${r ? esc(r.backend) : ''}</td><td class="num">${r ? r.seconds.toFixed(1) : ''}</td><td>${state}</td></tr>`;
  }).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>latentkit report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em} h2{border-top:1px solid #ddd;padding-top:1em} h2 code{font-size:.6em;color:#666;font-weight:normal}
.figures{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
figure{margin:0;max-width:100%} figure img{max-width:100%;image-rendering:pixelated;border:1px solid #eee} figure.chart svg{max-width:100%;height:auto}
figcaption{font-size:.85em;color:#555;max-width:520px}
table{border-collapse:collapse;margin:.8em 0} td,th{padding:.15em .8em;border-bottom:1px solid #eee;text-align:left;font-weight:normal}
table.metrics th{color:#555} .num{text-align:right} .meta{color:#555} .note{color:#a60} .error{color:#b00}
</style></head><body>
<h1>latentkit report</h1>
<p>Every model of latentkit trained with quick settings (${esc(p.settings)}) on ${esc(p.machine)}.
Total ${p.totalSeconds.toFixed(1)} s${p.stopped ? ' — stopped early by Ctrl-C' : ''}.</p>
<table class="summary"><tr><th>model</th><th>backend</th><th>seconds</th><th>status</th></tr>${summary}</table>
${p.commands.map((c) => section(c, byName.get(c.name), p.pending.includes(c.name), p.dir)).join('\n')}
${comparison(p, byName)}
</body></html>
`;
}
