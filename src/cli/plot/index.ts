// Figures drawn by latentkit itself, saved as PNG: image grids, line and scatter plots.
export { Canvas, WHITE, BLACK, GREY, type Rgb } from './canvas.js';
export { imageGrid, sideBySide, type GridOptions } from './grid.js';
export { linePlot, scatterPlot, stackedSignals, niceTicks, Axes, type Series, type AxesOptions } from './chart.js';
export { PALETTE, category } from './colors.js';
export { formatTick } from './font.js';
