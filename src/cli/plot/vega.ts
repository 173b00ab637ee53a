// Charts for the report as Vega-Lite specs, rendered to SVG in Node by vega's
// headless View (renderer 'none': no canvas, no DOM). Every chart has a title
// and axis titles; colour gets a legend only where it means something.
import * as vega from 'vega';
import * as vl from 'vega-lite';

/** A Vega-Lite spec (top level), as plain JSON. */
export type ChartSpec = Record<string, unknown>;

export interface AxisSpec { title: string; log?: boolean; domain?: [number, number]; zero?: boolean }

/** One named curve: y against x (the name goes into the legend when there are several). */
export interface Curve { name: string; x: ArrayLike<number>; y: ArrayLike<number>; dash?: boolean }

const WIDTH = 440, HEIGHT = 260;
/** Legends below the plot, one entry a line, long labels kept whole. */
const LEGEND = { orient: 'bottom', direction: 'vertical', labelLimit: 480 };

const scaleOf = (a: AxisSpec): Record<string, unknown> => ({
  ...(a.log ? { type: "log" } : { zero: a.zero ?? false, nice: true }), ...(a.domain ? { domain: a.domain } : {}),
});

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Line chart of one or more curves; several curves are told apart by colour, with a legend titled `legend`. */
export function lineChart(title: string, x: AxisSpec, y: AxisSpec, curves: Curve[], legend = 'series', opts: { points?: boolean } = {}): ChartSpec {
  const values = curves.flatMap((c) => Array.from({ length: c.x.length }, (_, i) => ({ x: finite(c.x[i]), y: finite(c.y[i]), s: c.name })))
    .filter((v) => v.x !== null && v.y !== null && (!y.log || v.y > 0));
  const many = curves.length > 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title, width: WIDTH, height: HEIGHT, data: { values },
    mark: { type: 'line', point: opts.points ?? false, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: x.title, scale: scaleOf(x) },
      y: { field: 'y', type: 'quantitative', title: y.title, scale: scaleOf(y) },
      ...(many ? { color: { field: 's', type: 'nominal', title: legend, sort: curves.map((c) => c.name), legend: LEGEND } } : {}),
      ...(curves.some((c) => c.dash) ? { strokeDash: { field: 's', type: 'nominal', title: legend, sort: curves.map((c) => c.name), legend: LEGEND } } : {}),
    },
  };
}

/** Scatter plot; `group` (e.g. the digit) colours the points, with a legend titled `legend`. */
export function scatterChart(title: string, x: AxisSpec, y: AxisSpec, xs: ArrayLike<number>, ys: ArrayLike<number>,
  group?: ArrayLike<number | string>, legend = 'group', extra: ChartSpec[] = []): ChartSpec {
  const values = Array.from({ length: xs.length }, (_, i) => ({ x: finite(xs[i]), y: finite(ys[i]), g: group ? String(group[i]) : '' }))
    .filter((v) => v.x !== null && v.y !== null);
  const points: ChartSpec = {
    data: { values },
    mark: { type: 'circle', size: 14, opacity: 0.7 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: x.title, scale: scaleOf(x) },
      y: { field: 'y', type: 'quantitative', title: y.title, scale: scaleOf(y) },
      ...(group ? { color: { field: 'g', type: 'nominal', title: legend, scale: { scheme: 'category10' } } } : {}),
    },
  };
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: WIDTH, height: WIDTH * 0.8, layer: [points, ...extra] };
}

/** Signals stacked one above the other (a shared time axis): one row per named signal. */
export function signalsChart(title: string, xTitle: string, yTitle: string, signals: { name: string; y: ArrayLike<number> }[]): ChartSpec {
  const rows: ChartSpec[] = signals.map((s, j) => ({
    width: WIDTH, height: 60, data: { values: Array.from({ length: s.y.length }, (_, t) => ({ t, v: finite(s.y[t]) })) },
    mark: { type: 'line', strokeWidth: 1 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: j === signals.length - 1 ? xTitle : null, axis: j === signals.length - 1 ? {} : { labels: false, ticks: false } },
      y: { field: 'v', type: 'quantitative', title: `${yTitle} ${s.name}`, scale: { zero: false } },
    },
  }));
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, vconcat: rows, spacing: 6 };
}

/** Grouped bar chart: one bar per (category, series), e.g. a fraction per model. */
export function barChart(title: string, xTitle: string, yTitle: string, bars: { category: string; value: number; series?: string }[], legend = 'series'): ChartSpec {
  const many = new Set(bars.map((b) => b.series ?? '')).size > 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, width: WIDTH, height: HEIGHT,
    data: { values: bars.filter((b) => Number.isFinite(b.value)).map((b) => ({ c: b.category, v: b.value, s: b.series ?? '' })) },
    mark: 'bar',
    encoding: {
      x: { field: 'c', type: 'nominal', title: xTitle, sort: null, axis: { labelAngle: -30, labelLimit: 200 } },
      y: { field: 'v', type: 'quantitative', title: yTitle },
      ...(many ? { xOffset: { field: 's' }, color: { field: 's', type: 'nominal', title: legend, legend: LEGEND } } : {}),
    },
  };
}

let charts = 0;

/**
 * Render a Vega-Lite spec to an SVG string. The ids vega writes (clip paths,
 * gradients) are made unique per chart, so that several charts inlined in one
 * page do not clip each other.
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const prefix = `c${process.pid.toString(36)}${(++charts).toString(36)}_`;
    return svg.replace(/id="([^"]+)"/g, `id="${prefix}$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`);
  } finally {
    view.finalize();
  }
}
