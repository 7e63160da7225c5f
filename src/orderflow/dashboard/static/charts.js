// The two charts (uPlot, vendored: the global `uPlot`): completed orders per second,
// and an order's POST → terminal p50 and p99. Seeded from /api/history, then a
// point per snapshot, over a bounded window.

import { api } from "./api.js";
import { num } from "./format.js";

const WINDOW_S = 600;
const MAX_POINTS = 1200;
const HEIGHT = 180;
const AXIS = { stroke: "#6b7280", grid: { stroke: "#eceef2", width: 1 }, ticks: { stroke: "#eceef2", width: 1 } };

function chart(element, series, unit) {
  const opts = {
    width: Math.max(element.clientWidth, 280),
    height: HEIGHT,
    // Always the whole window, the newest point at the right: a chart just opened
    // does not zoom into its first few seconds.
    scales: { x: { time: true, range: (u, min, max) => [(max ?? 0) - WINDOW_S, max ?? 0] }, y: { range: (u, min, max) => [0, Math.max(max ?? 0, 1) * 1.1] } },
    axes: [AXIS, { ...AXIS, size: 52, values: (u, ticks) => ticks.map((t) => num(t)) }],
    series: [
      {},
      ...series.map((one) => ({
        label: one.label, stroke: one.colour, width: 2, fill: one.fill,
        spanGaps: false, points: { show: false },
        value: (u, v) => (v === null || v === undefined ? "–" : `${num(v)}${unit}`),
      })),
    ],
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
  };
  const plot = new window.uPlot(opts, [[], ...series.map(() => [])], element);
  // The width follows the panel (a phone turned, the page shown after being hidden).
  new ResizeObserver(() => {
    const width = element.clientWidth;
    if (width > 0 && width !== plot.width) plot.setSize({ width, height: HEIGHT });
  }).observe(element);
  return plot;
}

export function createCharts({ throughput, latency, note }) {
  const throughputPlot = chart(throughput, [
    { label: "completed", colour: "#2563eb", fill: "rgba(37, 99, 235, 0.08)" },
  ], " /s");
  const latencyPlot = chart(latency, [
    { label: "p50", colour: "#0d9488" },
    { label: "p99", colour: "#d97706" },
  ], " ms");
  const points = new Map(); // t (s) → {c, p50, p99}

  function put(t, fields) {
    if (!Number.isFinite(t)) return;
    points.set(t, { c: null, p50: null, p99: null, ...points.get(t), ...fields });
  }

  function draw() {
    const times = [...points.keys()].sort((a, b) => a - b);
    const newest = times[times.length - 1];
    for (const t of times) {
      if (t < newest - WINDOW_S || points.size > MAX_POINTS) points.delete(t);
    }
    const kept = times.filter((t) => points.has(t));
    const column = (field) => kept.map((t) => points.get(t)[field]);
    throughputPlot.setData([kept, column("c")]);
    latencyPlot.setData([kept, column("p50"), column("p99")]);
  }

  async function seed(minutes = WINDOW_S / 60) {
    try {
      const history = await api(`/api/history?minutes=${minutes}`);
      for (const [t, v] of history.completedPerSecond ?? []) put(t, { c: v });
      for (const [t, v] of history.p50Ms ?? []) put(t, { p50: v });
      for (const [t, v] of history.p99Ms ?? []) put(t, { p99: v });
      note.hidden = true;
      draw();
    } catch (error) {
      note.textContent = `No history: ${error.message}. The charts start from now.`;
      note.hidden = false;
    }
  }

  function add(snapshot) {
    const t = Date.parse(snapshot.at) / 1000;
    const tp = snapshot.throughput ?? {};
    put(t, { c: tp.completedPerSecond ?? null, p50: tp.p50Ms ?? null, p99: tp.p99Ms ?? null });
    draw();
  }

  return { seed, add };
}
