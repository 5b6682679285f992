/** @module ECharts options for each chart type of the panel declarations (canvas; tooltips as rich text, so no inline styles). */
import type { ChartSpec } from '../panels.ts'
import { cellText, type Row } from './view.ts'

type XYSpec = Extract<ChartSpec, { type: 'line' | 'bar' }>
type HeatmapSpec = Extract<ChartSpec, { type: 'heatmap' }>

// Tooltips rendered as HTML carry style attributes, which the page's CSP refuses: rich text draws them.
const tooltip = { trigger: 'item', renderMode: 'richText' } as const

/** One series per value of `spec.series`, over the sorted distinct x values (gaps are null). */
export function xyOption(spec: XYSpec, rows: readonly Row[]) {
  const xs = [...new Set(rows.map((r) => cellText(r[spec.x])))].sort()
  const names = spec.series ? [...new Set(rows.map((r) => cellText(r[spec.series!])))].sort() : ['']
  const series = names.map((name) => {
    const byX = new Map<string, number>()
    for (const r of rows) {
      if (spec.series && cellText(r[spec.series]) !== name) continue
      const x = cellText(r[spec.x])
      byX.set(x, (byX.get(x) ?? 0) + Number(r[spec.y] ?? 0))
    }
    return {
      name,
      type: spec.type,
      stack: spec.type === 'bar' ? 'total' : undefined,
      showSymbol: false,
      data: xs.map((x) => byX.get(x) ?? null),
    }
  })
  return {
    animation: false,
    tooltip,
    legend: names.length > 1 ? { type: 'scroll', top: 0 } : undefined,
    grid: { left: 48, right: 16, top: names.length > 1 ? 32 : 12, bottom: 28 },
    xAxis: { type: 'category', data: xs },
    yAxis: { type: 'value', name: spec.y, nameLocation: 'middle', nameGap: 36 },
    series,
  }
}

/** Cells summed over the rows that share them (e.g. several accounts), axes in the declared label order. */
export function heatmapOption(spec: HeatmapSpec, rows: readonly Row[]) {
  const xKeys = Object.keys(spec.xLabels)
  const yKeys = Object.keys(spec.yLabels)
  const cells = new Map<string, number>()
  for (const r of rows) {
    const key = `${cellText(r[spec.x])}|${cellText(r[spec.y])}`
    cells.set(key, (cells.get(key) ?? 0) + Number(r[spec.value] ?? 0))
  }
  const data = [...cells].map(([key, value]) => {
    const [x, y] = key.split('|') as [string, string]
    return [xKeys.indexOf(x), yKeys.indexOf(y), value]
  })
  const max = Math.max(1, ...data.map((d) => d[2]!))
  return {
    animation: false,
    tooltip,
    grid: { left: 48, right: 16, top: 8, bottom: 84 },
    xAxis: { type: 'category', data: xKeys.map((k) => spec.xLabels[k]) },
    yAxis: { type: 'category', data: yKeys.map((k) => spec.yLabels[k]), inverse: true },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
    },
    series: [{ name: spec.value, type: 'heatmap', data }],
  }
}
