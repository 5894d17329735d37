// uPlot (loaded as a classic script before the modules: the global `uPlot`)
// with the dashboard's defaults: UTC time axes, dark theme, resizing with
// their container. Every chart made is destroyed when the page changes.

export const COLORS = ['#4f9cff', '#3ecf8e', '#f5b84b', '#ff6b6b', '#b38cff', '#4fd1d9', '#ff9f6b', '#c7d36b']
const AXIS = { stroke: '#8b97ad', grid: { stroke: '#263149', width: 1 }, ticks: { stroke: '#263149', width: 1 } }

const live = new Set()

/** Destroys the charts of the page being left. */
export function destroyCharts() {
  for (const c of live) c.dispose()
  live.clear()
}

/**
 * A chart in `el`: `x` unix seconds, `series` [{ label, values, color, scale,
 * kind: 'line' | 'bars' | 'step', fmt, legendValues }]; `scales` { key: { label,
 * fmt, range } }. The first scale is on the left, a second one on the right.
 * Stacked bars are series of running totals, tallest first (uPlot draws in
 * series order, so each is drawn over the taller ones before it), with
 * `legendValues` holding each one's own amounts for the legend.
 */
export function timeChart(el, { x, series, scales, height = 260 }) {
  const scaleKeys = Object.keys(scales)
  const bars = window.uPlot.paths.bars({ size: [0.7, 40] })
  const stepped = window.uPlot.paths.stepped({ align: 1 })
  const opts = {
    width: Math.max(el.clientWidth, 300),
    height,
    tzDate: (ts) => window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    cursor: { drag: { x: true, y: false } },
    scales: Object.fromEntries([['x', { time: true }], ...scaleKeys.map((k) => [k, scales[k].range ? { range: scales[k].range } : {}])]),
    axes: [
      { ...AXIS },
      ...scaleKeys.map((k, i) => ({
        ...AXIS,
        scale: k,
        side: i === 0 ? 3 : 1,
        label: scales[k].label,
        size: 70,
        grid: i === 0 ? AXIS.grid : { show: false },
        values: (u, vals) => vals.map((v) => scales[k].fmt(v)),
      })),
    ],
    series: [
      {},
      ...series.map((s, i) => {
        const color = s.color || COLORS[i % COLORS.length]
        const fmt = s.fmt || scales[s.scale].fmt
        const raw = s.legendValues
        // Off the chart (and before any hover) the legend shows the latest value, not a dash.
        let latest = null
        for (let j = s.values.length - 1; j >= 0; j--) if (s.values[j] !== null && s.values[j] !== undefined) { latest = j; break }
        return {
          label: s.label,
          scale: s.scale,
          stroke: color,
          width: s.kind === 'bars' ? 0 : 2,
          fill: s.kind === 'bars' ? color : s.fill,
          paths: s.kind === 'bars' ? bars : s.kind === 'step' ? stepped : undefined,
          points: { show: false },
          spanGaps: false,
          value: (u, v, si, idx) => {
            const at = idx === null || idx === undefined ? latest : idx
            if (at === null) return '–'
            const shown = raw ? raw[at] : idx === null || idx === undefined ? s.values[at] : v
            return shown === null || shown === undefined ? '–' : fmt(shown)
          },
        }
      }),
    ],
  }
  // The x values (unix seconds) on the element, for tests to hold the chart against the tables beside it.
  el.dataset.x = x.join(',')
  const data = [x, ...series.map((s) => s.values)]
  const chart = new window.uPlot(opts, data, el)
  const ro = new ResizeObserver(() => {
    const w = Math.max(el.clientWidth, 300)
    if (w !== chart.width) chart.setSize({ width: w, height })
  })
  ro.observe(el)
  const handle = {
    chart,
    dispose() {
      ro.disconnect()
      chart.destroy()
    },
  }
  live.add(handle)
  return handle
}
