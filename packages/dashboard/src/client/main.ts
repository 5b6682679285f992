/** @module The dashboard page: fetches each panel's insight once, then draws it under the filters. */
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import {
  type ErrorResponse,
  INSIGHTS_PATH,
  type InsightIndex,
  type InsightResponse,
  LOGIN_PATH,
} from '../contract.ts'
import { columnsOf, PANELS, type Panel } from '../panels.ts'
import { heatmapOption, xyOption } from './charts.ts'
import { cellText, type Filters, filterRows, type Row, rankMovement } from './view.ts'

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
])

/** The session is missing or expired: the page is on its way to the login form. */
class SignInFirst extends Error {}

type Answer = { ok: true; response: InsightResponse } | { ok: false; status: number; error: ErrorResponse }

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
  const node = document.createElement(tag)
  if (text !== undefined) node.textContent = text
  if (className) node.className = className
  return node
}

async function fetchJson<T>(path: string): Promise<{ ok: boolean; status: number; body: T }> {
  const res = await fetch(path, { credentials: 'same-origin' })
  if (res.status === 401) {
    location.assign(LOGIN_PATH)
    throw new SignInFirst()
  }
  return { ok: res.ok, status: res.status, body: await res.json() }
}

async function fetchInsight(name: string): Promise<Answer> {
  const { ok, status, body } = await fetchJson<InsightResponse & ErrorResponse>(
    `${INSIGHTS_PATH}${encodeURIComponent(name)}`,
  )
  return ok ? { ok: true, response: body } : { ok: false, status, error: body }
}

/** What the API would answer for an insight that is not there, without asking it. */
function missingInsight(name: string): Answer {
  return {
    ok: false,
    status: 404,
    error: {
      error: `no insight named "${name}"`,
      action: `add sql/insights/${name}.sql (\`lake query --list-insights\` lists the insights)`,
    },
  }
}

function notice(container: HTMLElement, kind: 'empty' | 'error', title: string, detail: string) {
  const box = el('div', undefined, `notice ${kind === 'error' ? 'error' : ''}`)
  box.dataset.notice = kind
  box.append(el('strong', title), el('span', detail))
  container.append(box)
}

function dataTable(columns: string[], rows: readonly Row[]): HTMLElement {
  const details = el('details')
  details.append(el('summary', `Data (${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`))
  const table = el('table')
  const head = el('tr')
  for (const c of columns) head.append(el('th', c))
  table.append(el('thead'), el('tbody'))
  table.tHead!.append(head)
  for (const row of rows) {
    const tr = el('tr')
    for (const c of columns)
      tr.append(el('td', cellText(row[c]), typeof row[c] === 'number' ? 'num' : undefined))
    table.tBodies[0]!.append(tr)
  }
  details.append(table)
  return details
}

function rankList(panel: Panel, rows: readonly Row[], container: HTMLElement) {
  const spec = panel.chart
  if (spec.type !== 'rank') return
  const accounts = panel.account ? [...new Set(rows.map((r) => cellText(r[panel.account!])))].sort() : ['']
  for (const account of accounts) {
    const own = panel.account ? rows.filter((r) => cellText(r[panel.account!]) === account) : rows
    const ranked = rankMovement(own, spec)
    if (!ranked) continue
    const since = ranked.previous ? ` (moves since ${ranked.previous})` : ''
    container.append(el('h3', `${account ? `${account}: ` : ''}${ranked.period}${since}`))
    const list = el('ol', undefined, 'rank')
    for (const entry of ranked.entries) {
      const item = el('li', entry.label)
      const move =
        entry.move === null
          ? 'new'
          : entry.move > 0
            ? `▲ ${entry.move}`
            : entry.move < 0
              ? `▼ ${-entry.move}`
              : '='
      item.append(
        el(
          'span',
          move,
          `move ${entry.move === null || entry.move > 0 ? 'up' : entry.move < 0 ? 'down' : ''}`,
        ),
      )
      list.append(item)
    }
    container.append(list)
  }
}

const charts = new Map<string, echarts.ECharts>()

function renderPanel(panel: Panel, answer: Answer, filters: Filters) {
  const section = byId<HTMLElement>(`panel-${panel.id}`)
  const body = section.querySelector<HTMLElement>('.body')!
  charts.get(panel.id)?.dispose()
  charts.delete(panel.id)
  body.replaceChildren()
  if (!answer.ok) {
    const missing = answer.status === 404
    section.dataset.state = missing ? 'missing' : 'error'
    notice(
      body,
      'error',
      missing
        ? `The insight ${panel.insight} is not in this lake yet`
        : `The insight ${panel.insight} failed`,
      answer.error.action ? `${answer.error.error}: ${answer.error.action}` : answer.error.error,
    )
    return
  }
  const { response } = answer
  const lacking = columnsOf(panel).filter((c) => !response.columns.includes(c))
  if (lacking.length > 0) {
    section.dataset.state = 'error'
    notice(
      body,
      'error',
      `The insight ${panel.insight} has no column ${lacking.join(', ')}`,
      `the panel "${panel.id}" (packages/dashboard/src/panels.ts) and sql/insights/${panel.insight}.sql disagree: change one of them`,
    )
    return
  }
  if (response.rows.length === 0) {
    section.dataset.state = 'empty'
    notice(body, 'empty', `${panel.empty.why}.`, `To fill this panel: ${panel.empty.action}.`)
    return
  }
  const rows = filterRows(panel, response.rows, filters)
  if (rows.length === 0) {
    section.dataset.state = 'filtered'
    notice(body, 'empty', 'Nothing in this range.', 'Widen the dates or pick another account.')
    return
  }
  section.dataset.state = 'ready'
  if (panel.chart.type === 'rank') {
    rankList(panel, rows, body)
  } else {
    const chartBox = el('div', undefined, 'chart')
    body.append(chartBox)
    const chart = echarts.init(chartBox, undefined, { renderer: 'canvas' })
    const option =
      panel.chart.type === 'heatmap' ? heatmapOption(panel.chart, rows) : xyOption(panel.chart, rows)
    chart.setOption(option as echarts.EChartsCoreOption)
    charts.set(panel.id, chart)
  }
  body.append(dataTable(columnsOf(panel), rows))
}

function readFilters(): Filters {
  return {
    from: byId<HTMLInputElement>('from').value,
    to: byId<HTMLInputElement>('to').value,
    account: byId<HTMLSelectElement>('account').value,
  }
}

async function main() {
  const main = byId<HTMLElement>('panels')
  for (const panel of PANELS) {
    const section = el('section', undefined, 'panel')
    section.id = `panel-${panel.id}`
    section.dataset.insight = panel.insight
    section.dataset.state = 'loading'
    section.append(el('h2', panel.title), el('div', undefined, 'body'))
    main.append(section)
  }
  // Only insights there are are asked for: a panel declared before its SQL file says so without a 404.
  const index = await fetchJson<InsightIndex>(INSIGHTS_PATH.slice(0, -1))
  const known = new Set(index.body.insights.map((i) => i.name))
  const names = [...new Set(PANELS.map((p) => p.insight))]
  const answers = new Map(
    await Promise.all(
      names.map(async (n) => [n, known.has(n) ? await fetchInsight(n) : missingInsight(n)] as const),
    ),
  )

  const accounts = new Set<string>()
  for (const panel of PANELS) {
    const answer = answers.get(panel.insight)
    if (panel.account && answer?.ok)
      for (const row of answer.response.rows)
        if (typeof row[panel.account] === 'string') accounts.add(row[panel.account] as string)
  }
  if (accounts.size > 1) {
    const select = byId<HTMLSelectElement>('account')
    for (const account of [...accounts].sort()) select.append(new Option(account, account))
    byId<HTMLElement>('account-filter').hidden = false
  }
  const sources = [...new Set([...answers.values()].flatMap((a) => (a.ok ? [a.response.source] : [])))]
  byId<HTMLElement>('source').textContent = sources.length ? `Answered from ${sources.join(', ')}.` : ''

  const render = () => {
    const filters = readFilters()
    for (const panel of PANELS) renderPanel(panel, answers.get(panel.insight)!, filters)
  }
  const form = byId<HTMLFormElement>('filters')
  form.addEventListener('change', render)
  form.addEventListener('reset', () => setTimeout(render))
  addEventListener('resize', () => {
    for (const chart of charts.values()) chart.resize()
  })
  render()
  performance.mark('dashboard-rendered')
  document.body.dataset.state = 'ready'
}

main().catch((error: unknown) => {
  document.body.dataset.state = error instanceof SignInFirst ? 'signing-in' : 'error'
  if (!(error instanceof SignInFirst)) console.error(error)
})
