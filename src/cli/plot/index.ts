// Figures drawn by latentkit itself: image grids saved as PNG (canvas.ts,
// grid.ts), and charts as Vega-Lite specs rendered to SVG (vega.ts).
export { Canvas, WHITE, BLACK, GREY, type Rgb } from './canvas.js';
export { imageGrid, sideBySide, type GridOptions } from './grid.js';
export { lineChart, scatterChart, signalsChart, barChart, renderSvg, type ChartSpec, type Curve, type AxisSpec } from './vega.js';
