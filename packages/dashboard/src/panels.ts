/**
 * @module The dashboard's panels as data: panel -> insight -> chart. Adding a panel is one entry in
 * `PANELS`; its insight is a file in `sql/insights/`, the same one `lake query --insight` and Athena's
 * named queries run.
 */

/** What a panel with no rows tells the user: why, and what to do about it. */
export interface EmptyState {
  why: string
  action: string
}

/** Columns a panel reads from its insight's rows. */
interface Series {
  /** Rows are split into one series per distinct value of this column (e.g. the account). */
  series?: string
}

export type ChartSpec =
  | ({ type: 'line' | 'bar'; x: string; y: string } & Series)
  | {
      type: 'heatmap'
      x: string
      y: string
      value: string
      /** Category labels of the axes, in order, keyed by the column's value. */
      xLabels: Readonly<Record<string, string>>
      yLabels: Readonly<Record<string, string>>
    }
  | {
      /** The latest period's top `limit` by `rank`, with the move since the period before. */
      type: 'rank'
      period: string
      label: string
      rank: string
      /** Identifies an entry across periods (e.g. artist_id); defaults to `label`. */
      key?: string
      limit: number
    }

export interface Panel {
  /** Stable id: the panel's element id and its screenshot's name. */
  id: string
  title: string
  /** `sql/insights/<insight>.sql`. */
  insight: string
  chart: ChartSpec
  /** The column the date-range filter applies to (YYYY-MM-DD or an ISO instant); none: all time. */
  date?: string
  /** The column the account filter applies to; none: the panel is not per account. */
  account?: string
  /** Only rows whose column holds the value (e.g. one `time_range` of a top list); applied before any filter. */
  where?: Readonly<Record<string, string>>
  /** What a panel without rows says. */
  empty: EmptyState
}

const NO_PLAYS: EmptyState = {
  why: 'No plays yet',
  action:
    "connect an account (the Worker's /connect, or SOURCES.recentlyPlayed polls the accounts you have) or import your privacy export (./lake import)",
}

const HOURS = Object.fromEntries(
  Array.from({ length: 24 }, (_, h) => [String(h), `${String(h).padStart(2, '0')}h`]),
)
const WEEKDAYS = { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat', 7: 'Sun' }

export const PANELS: readonly Panel[] = [
  {
    id: 'minutes-per-day',
    title: 'Listening minutes per day',
    insight: 'listening-minutes-per-day',
    chart: { type: 'bar', x: 'play_date', y: 'minutes', series: 'account_id' },
    date: 'play_date',
    account: 'account_id',
    empty: NO_PLAYS,
  },
  {
    id: 'heatmap',
    title: 'When you listen (plays by hour and weekday, UTC, all time)',
    insight: 'listening-heatmap',
    chart: { type: 'heatmap', x: 'hour', y: 'weekday', value: 'plays', xLabels: HOURS, yLabels: WEEKDAYS },
    account: 'account_id',
    empty: NO_PLAYS,
  },
  {
    id: 'top-artists',
    title: 'Top artists of the last 4 weeks, with rank movement',
    insight: 'top-artists-over-time',
    chart: {
      type: 'rank',
      period: 'dt',
      label: 'artist_name',
      key: 'artist_id',
      rank: 'rank',
      limit: 10,
    },
    date: 'dt',
    account: 'account_id',
    where: { time_range: 'short_term' },
    empty: {
      why: 'No top artists yet',
      action: 'connect an account: each daily run records its top artists (GET /me/top/artists)',
    },
  },
  {
    id: 'top-tracks',
    title: 'Top tracks of the last 4 weeks, with rank movement',
    insight: 'top-tracks-over-time',
    chart: { type: 'rank', period: 'dt', label: 'track_name', key: 'track_id', rank: 'rank', limit: 10 },
    date: 'dt',
    account: 'account_id',
    where: { time_range: 'short_term' },
    empty: {
      why: 'No top tracks yet',
      action: 'connect an account: each daily run records its top tracks (GET /me/top/tracks)',
    },
  },
  {
    id: 'new-artists',
    title: 'New artists per month',
    insight: 'new-artists-per-month',
    chart: { type: 'bar', x: 'month', y: 'new_artists', series: 'account_id' },
    date: 'month',
    account: 'account_id',
    empty: NO_PLAYS,
  },
  {
    id: 'playlist-size',
    title: 'Playlist size over time',
    insight: 'playlist-size-over-time',
    chart: { type: 'line', x: 'dt', y: 'items_total', series: 'playlist_name' },
    date: 'dt',
    empty: {
      why: 'No playlists yet',
      action: 'run the pipeline once (./lake up locally, or POST /refresh on the Worker)',
    },
  },
  {
    id: 'library-growth',
    title: 'Library growth',
    insight: 'library-growth',
    chart: { type: 'line', x: 'day', y: 'items', series: 'kind' },
    date: 'day',
    empty: {
      why: 'No saved library yet',
      action: 'connect an account: daily runs record its saved tracks, albums, shows and episodes',
    },
  },
]

/** The columns a panel needs from its insight's rows (a missing one is the panel's error, named). */
export function columnsOf(panel: Panel): string[] {
  const c = panel.chart
  const chart =
    c.type === 'heatmap'
      ? [c.x, c.y, c.value]
      : c.type === 'rank'
        ? [c.period, c.label, c.rank, ...(c.key ? [c.key] : [])]
        : [c.x, c.y, ...(c.series ? [c.series] : [])]
  return [
    ...new Set([
      ...chart,
      ...(panel.date ? [panel.date] : []),
      ...(panel.account ? [panel.account] : []),
      ...Object.keys(panel.where ?? {}),
    ]),
  ]
}
