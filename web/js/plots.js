// uPlot, bundled from npm into vendor/ at build time, and the shapes the
// views draw with it. Lines that do not share x values (each PlotSeries
// line has the x of its own minima and maxima) are merged on the union of
// their x, with gaps spanned.
export const COLORS = ['#0b5cad', '#c0392b', '#1e8449', '#8e44ad', '#d35400', '#117a8b', '#7d6608', '#34495e'];

let uPlotModule = null;
export async function loadUPlot() {
  if (!uPlotModule) {
    try {
      uPlotModule = (await import('../vendor/uPlot.esm.js')).default;
    } catch (err) {
      throw new Error('the plots are missing from this build (uPlot was not bundled: run scripts/install-deps.sh, then rebuild)');
    }
  }
  return uPlotModule;
}

// [[x…], [y of line 0…], …] on the sorted union of the lines' x.
export function mergeLines(lines) {
  const xs = new Float64Array(lines.reduce((n, l) => n + l.x.length, 0));
  let k = 0;
  for (const l of lines) for (const x of l.x) xs[k++] = x;
  xs.sort();
  const unique = [];
  for (let i = 0; i < xs.length; ++i) if (i === 0 || xs[i] !== xs[i - 1]) unique.push(xs[i]);
  const index = new Map(unique.map((x, i) => [x, i]));
  const data = [unique];
  for (const l of lines) {
    const y = new Array(unique.length).fill(null);
    for (let i = 0; i < l.x.length; ++i) y[index.get(l.x[i])] = l.y[i];
    data.push(y);
  }
  return data;
}

export function plotWidth(container) {
  return Math.max(320, Math.min(1150, Math.floor(container.clientWidth || 900)));
}

// Tick labels with as many decimals as the step between ticks has, so that
// neighbours never read alike (0.0045 Ah, 100.002 %).
export function tickLabels(ticks) {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 0;
  let decimals = 0;
  while (step > 0 && decimals < 10) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-6 * scaled) break;
    ++decimals;
  }
  return ticks.map((v) => (v === null ? '' : v.toFixed(decimals)));
}

// A plot of several lines against one x; `axes` maps each line to a scale
// with its label, the first two scales on the left and right.
export async function linePlot(target, { title, xLabel, lines, data, width, height = 300, hooks, drag }) {
  const uPlot = await loadUPlot();
  const scales = [...new Set(lines.map((l) => l.scale))];
  const opts = {
    title, width, height,
    scales: { x: { time: false } },
    series: [{ label: xLabel }, ...lines.map((l, i) => ({
      label: l.label, scale: l.scale, stroke: l.color || COLORS[i % COLORS.length], width: 1.25,
      spanGaps: true, points: { show: l.points || false },
    }))],
    axes: [{ label: xLabel }, ...scales.map((s, i) => ({
      scale: s, label: lines.find((l) => l.scale === s).axisLabel || s, side: i === 0 ? 3 : 1,
      grid: { show: i === 0 },
      values: (u, ticks) => tickLabels(ticks),
      size: 70,  // room for labels such as 0.0045 beside the axis title
    }))],
    cursor: drag ? { drag: { x: true, y: false, setScale: false } } : {},
    hooks: hooks || {},
  };
  return new uPlot(opts, data, target);
}
