// The report page: one self-contained HTML file that shows each model's
// figures (PNG files beside it) and numbers, with the backend and time taken.
import type { CommandResult } from './command.js';
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
}

function section(cmd: Command, r: CommandResult | undefined, pending: boolean): string {
  const head = `<h2>${esc(cmd.title)} <code>latentkit ${esc(cmd.name)}</code></h2><p class="about">${esc(cmd.about)}</p>`;
  if (!r) {
    return `<section class="model" id="${cmd.name}" data-model="${cmd.name}">${head}<p class="note">${pending ? 'Not run: the report was stopped before this model.' : 'Not run.'}</p></section>`;
  }
  const status = r.error ? `<p class="error">Failed: ${esc(r.error)}</p>` : r.stopped ? '<p class="note">Stopped early by Ctrl-C; the figures show the model as it was.</p>' : '';
  const figs = r.figures.map((f) => `<figure><img src="${esc(`${cmd.name}/${f.file}`)}" alt="${esc(f.caption)}"><figcaption>${esc(f.caption)}</figcaption></figure>`).join('\n');
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
figure{margin:0;max-width:100%} figure img{max-width:100%;image-rendering:pixelated;border:1px solid #eee}
figcaption{font-size:.85em;color:#555;max-width:520px}
table{border-collapse:collapse;margin:.8em 0} td,th{padding:.15em .8em;border-bottom:1px solid #eee;text-align:left;font-weight:normal}
table.metrics th{color:#555} .num{text-align:right} .meta{color:#555} .note{color:#a60} .error{color:#b00}
</style></head><body>
<h1>latentkit report</h1>
<p>Every model of latentkit trained with quick settings (${esc(p.settings)}) on ${esc(p.machine)}.
Total ${p.totalSeconds.toFixed(1)} s${p.stopped ? ' — stopped early by Ctrl-C' : ''}.</p>
<table class="summary"><tr><th>model</th><th>backend</th><th>seconds</th><th>status</th></tr>${summary}</table>
${p.commands.map((c) => section(c, byName.get(c.name), p.pending.includes(c.name))).join('\n')}
</body></html>
`;
}
