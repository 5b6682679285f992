/**
 * @module The expected answer of each insight, in plain TypeScript. Which playlists existed on a day and
 * what each snapshot held come from the fixture's declared facts (`DAYS`, `SNAPSHOT_ITEMS`), not from
 * choosing among its runs, so a wrong choice of runs in the SQL cannot be mirrored here. Catalog facts
 * (latest row per track, album, artist) come from the files.
 */

import { libraryGrowth, libraryOf, savedButNeverPlayed } from './library-lake.ts'
import { PLAYS, type Play } from './plays-lake.ts'
import {
  ARTIST_NAMES,
  DAYS,
  fixtureFiles,
  type Item,
  SNAPSHOT_ITEMS,
  type TableFile,
  TOP_ARTIST_NAMES,
  TOP_DAYS,
  TOP_TRACK_NAMES,
  TOP_TRACK_OF,
  TRACKS,
} from './query-lake.ts'

type Row = Record<string, unknown> & { dt: string; _run_id: string }
type Out = Record<string, unknown>

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
/** Later (dt, run) first. */
const newestFirst = (a: Row, b: Row) => byKey(b.dt, a.dt) || byKey(b._run_id, a._run_id)
const round4 = (x: number) => Math.round(x * 10_000) / 10_000

export class Oracle {
  constructor(readonly files: TableFile[] = fixtureFiles()) {}

  /** The declared plays when the files hold any, with each track's latest row (duration, artists). */
  plays(): PlaysFacts {
    const tracks = this.latest('tracks', 'track_id')
    return {
      plays: this.files.some((f) => f.table.name === 'plays') ? PLAYS : [],
      track: (id) => tracks.get(id) as { duration_ms: number; artist_ids: string[] } | undefined,
    }
  }

  'listening-minutes-per-day'(): Out[] {
    return minutesPerDay(this.plays())
  }

  'listening-heatmap'(): Out[] {
    return heatmap(this.plays())
  }

  'new-artists-per-month'(): Out[] {
    return newArtistsPerMonth(this.plays())
  }

  rows(table: string): Row[] {
    return this.files
      .filter((f) => f.table.name === table)
      .flatMap((f) => f.rows.map((r) => ({ ...r, dt: f.run.dt }) as Row))
  }

  /** The playlists of each day, as declared (`DAYS`). */
  dailyPlaylists(): Row[] {
    return Object.entries(DAYS).flatMap(([dt, states]) =>
      states.map(
        (p) =>
          ({
            dt,
            _run_id: '',
            playlist_id: p.id,
            name: p.name,
            snapshot_id: p.snapshot,
            items_total: p.itemsTotal,
          }) as Row,
      ),
    )
  }

  currentPlaylists(): Row[] {
    const last = Object.keys(DAYS).sort(byKey).at(-1)
    return this.dailyPlaylists().filter((r) => r.dt === last)
  }

  /** Whether the content of a snapshot is known (a complete run extracted its items). */
  known(snapshotId: string): boolean {
    return SNAPSHOT_ITEMS[snapshotId] !== undefined
  }

  /** The items of one snapshot, as declared, in the shape of playlist_items rows. */
  snapshotItems(playlistId: string, snapshotId: string): Row[] {
    return (SNAPSHOT_ITEMS[snapshotId] ?? []).map((item: Item, position) => {
      const base = { dt: '', _run_id: '', playlist_id: playlistId, snapshot_id: snapshotId, position }
      if (typeof item !== 'string') return { ...base, item_type: 'local', item_id: null } as Row
      const track = TRACKS[item]!
      return {
        ...base,
        item_type: 'track',
        item_id: item,
        album_id: track.album,
        artist_ids: track.artists,
        artist_names: track.artists.map((a) => ARTIST_NAMES[a]!),
      } as Row
    })
  }

  currentTracks(): Row[] {
    return this.currentPlaylists().flatMap((p) =>
      this.snapshotItems(p.playlist_id as string, p.snapshot_id as string).filter(
        (r) => r.item_type === 'track',
      ),
    )
  }

  latest(table: string, key: string): Map<string, Row> {
    const out = new Map<string, Row>()
    for (const r of [...this.rows(table)].sort(newestFirst))
      if (!out.has(r[key] as string)) out.set(r[key] as string, r)
    return out
  }

  'playlist-size-over-time'(): Out[] {
    const rows = this.dailyPlaylists().sort(
      (a, b) => byKey(a.playlist_id as string, b.playlist_id as string) || byKey(a.dt, b.dt),
    )
    return rows.map((r, i) => {
      const previous = rows[i - 1]
      const sameList = previous?.playlist_id === r.playlist_id
      return {
        dt: r.dt,
        playlist_id: r.playlist_id,
        playlist_name: r.name,
        snapshot_id: r.snapshot_id,
        items_total: r.items_total,
        items_change: sameList ? (r.items_total as number) - (previous!.items_total as number) : null,
      }
    })
  }

  'playlist-changes'(): Out[] {
    const out: Out[] = []
    const daily = this.dailyPlaylists().sort((a, b) => byKey(a.dt, b.dt))
    for (const id of new Set(daily.map((r) => r.playlist_id as string))) {
      const steps: { snapshot: string; dt: string }[] = []
      for (const r of daily.filter((d) => d.playlist_id === id)) {
        if (r.items_total !== 0 && !this.known(r.snapshot_id as string)) continue
        if (!steps.some((s) => s.snapshot === r.snapshot_id))
          steps.push({ snapshot: r.snapshot_id as string, dt: r.dt })
      }
      const tracks = (snapshot: string) =>
        new Set(
          this.snapshotItems(id, snapshot)
            .filter((r) => r.item_type === 'track')
            .map((r) => r.item_id as string),
        )
      for (let i = 1; i < steps.length; i++) {
        const [before, after] = [tracks(steps[i - 1]!.snapshot), tracks(steps[i]!.snapshot)]
        const row = (change: string, item: string) => ({
          dt: steps[i]!.dt,
          playlist_id: id,
          previous_snapshot_id: steps[i - 1]!.snapshot,
          snapshot_id: steps[i]!.snapshot,
          change_type: change,
          item_id: item,
          item_name: `Track ${item}`,
        })
        for (const t of after) if (!before.has(t)) out.push(row('added', t))
        for (const t of before) if (!after.has(t)) out.push(row('removed', t))
      }
    }
    return out.sort(
      (a, b) =>
        byKey(a.playlist_id as string, b.playlist_id as string) ||
        byKey(a.dt as string, b.dt as string) ||
        byKey(a.change_type as string, b.change_type as string) ||
        byKey(a.item_id as string, b.item_id as string),
    )
  }

  'top-artists'(): Out[] {
    const stats = new Map<
      string,
      { name: string; playlists: Set<unknown>; tracks: Set<unknown>; items: number }
    >()
    for (const item of this.currentTracks()) {
      ;(item.artist_ids as string[]).forEach((artist, i) => {
        const s = stats.get(artist) ?? { name: '', playlists: new Set(), tracks: new Set(), items: 0 }
        s.name = (item.artist_names as string[])[i]!
        s.playlists.add(item.playlist_id)
        s.tracks.add(item.item_id)
        s.items++
        stats.set(artist, s)
      })
    }
    return [...stats]
      .map(([id, s]) => ({
        artist_id: id,
        artist_name: s.name,
        playlist_count: s.playlists.size,
        track_count: s.tracks.size,
        item_count: s.items,
      }))
      .sort(
        (a, b) =>
          b.playlist_count - a.playlist_count ||
          b.track_count - a.track_count ||
          b.item_count - a.item_count ||
          byKey(a.artist_id, b.artist_id),
      )
  }

  'release-year-distribution'(): Out[] {
    const albums = this.latest('albums', 'album_id')
    const tracks = new Map(this.currentTracks().map((r) => [r.item_id as string, r.album_id as string]))
    const years = new Map<number | null, number>()
    for (const album of tracks.values()) {
      const year = (albums.get(album)?.release_year as number | undefined) ?? null
      years.set(year, (years.get(year) ?? 0) + 1)
    }
    return [...years]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a - b))
      .map(([year, count]) => ({
        release_year: year,
        track_count: count,
        share: round4(count / tracks.size),
      }))
  }

  'explicit-share'(): Out[] {
    const known = this.latest('tracks', 'track_id')
    const current = this.currentTracks()
    return this.currentPlaylists()
      .map((p) => {
        const ids = new Set(
          current.filter((r) => r.playlist_id === p.playlist_id).map((r) => r.item_id as string),
        )
        const knownIds = [...ids].filter((id) => known.has(id))
        const explicit = knownIds.filter((id) => known.get(id)!.explicit === true).length
        return {
          playlist_id: p.playlist_id,
          playlist_name: p.name,
          track_count: ids.size,
          explicit_count: explicit,
          unknown_count: ids.size - knownIds.length,
          explicit_share: knownIds.length === 0 ? null : round4(explicit / knownIds.length),
        }
      })
      .sort(
        (a, b) =>
          (b.explicit_share ?? -1) - (a.explicit_share ?? -1) ||
          byKey(a.playlist_id as string, b.playlist_id as string),
      )
  }

  'genre-mix'(): Out[] {
    const artists = this.latest('artists', 'artist_id')
    const genres = new Map<string, { artists: Set<string>; tracks: Set<string> }>()
    for (const item of this.currentTracks()) {
      for (const artist of item.artist_ids as string[]) {
        for (const genre of (artists.get(artist)?.genres as string[] | undefined) ?? []) {
          const g = genres.get(genre) ?? { artists: new Set(), tracks: new Set() }
          g.artists.add(artist)
          g.tracks.add(item.item_id as string)
          genres.set(genre, g)
        }
      }
    }
    return [...genres]
      .map(([genre, g]) => ({ genre, artist_count: g.artists.size, track_count: g.tracks.size }))
      .sort(
        (a, b) => b.track_count - a.track_count || b.artist_count - a.artist_count || byKey(a.genre, b.genre),
      )
  }

  'library-growth'(): Out[] {
    return libraryGrowth(libraryOf((t) => this.rows(t)).holdings)
  }

  'saved-but-never-played'(): Out[] {
    const tracks = this.latest('tracks', 'track_id')
    return savedButNeverPlayed(
      (id) => tracks.get(id) as { name: unknown; artist_names: unknown } | undefined,
      libraryOf((t) => this.rows(t)),
    )
  }

  'newest-releases'(): Out[] {
    const albums = this.latest('albums', 'album_id')
    const found = new Map<string, { tracks: Set<unknown>; playlists: Set<unknown> }>()
    for (const item of this.currentTracks()) {
      if (!albums.has(item.album_id as string)) continue
      const f = found.get(item.album_id as string) ?? { tracks: new Set(), playlists: new Set() }
      f.tracks.add(item.item_id)
      f.playlists.add(item.playlist_id)
      found.set(item.album_id as string, f)
    }
    return [...found]
      .map(([id, f]) => {
        const a = albums.get(id)!
        return {
          release_date: a.release_date,
          release_date_precision: a.release_date_precision,
          album_id: id,
          album_name: a.name,
          album_type: a.album_type,
          artist_names: a.artist_names,
          track_count: f.tracks.size,
          playlist_count: f.playlists.size,
        }
      })
      .sort(
        (a, b) => byKey(b.release_date as string, a.release_date as string) || byKey(a.album_id, b.album_id),
      )
  }
  /** Per account, time range and declared day: each artist's rank, and its rank on the previous such day. */
  'top-artists-over-time'(): Out[] {
    return this.topOverTime('top_artists', (id) => ({ artist_id: id, artist_name: TOP_ARTIST_NAMES[id] }))
  }
  /** The same for the top tracks (each list slot's track: `TOP_TRACK_OF`). */
  'top-tracks-over-time'(): Out[] {
    return this.topOverTime('top_tracks', (artist) => {
      const id = TOP_TRACK_OF[artist]!
      return { track_id: id, track_name: TOP_TRACK_NAMES[id], artist_names: [TOP_ARTIST_NAMES[artist]] }
    })
  }
  private topOverTime(table: string, item: (id: string) => Out): Out[] {
    // The days are declared; a lake written without the top list files has none of them.
    if (this.rows(table).length === 0) return []
    const out: Out[] = []
    const previous = new Map<string, { ids: string[] }>()
    for (const dt of Object.keys(TOP_DAYS).sort(byKey)) {
      for (const [account, ranges] of Object.entries(TOP_DAYS[dt]!)) {
        for (const [range, ids] of Object.entries(ranges)) {
          const before = previous.get(`${account}|${range}`)?.ids
          ids.forEach((id, i) => {
            const rank = i + 1
            const at = before?.indexOf(id) ?? -1
            const previous_rank = at === -1 ? null : at + 1
            out.push({
              account_id: account,
              time_range: range,
              dt,
              rank,
              ...item(id),
              previous_rank,
              rank_change: previous_rank === null ? null : previous_rank - rank,
              movement:
                previous_rank === null
                  ? 'new'
                  : previous_rank > rank
                    ? 'up'
                    : previous_rank < rank
                      ? 'down'
                      : 'same',
            })
          })
          previous.set(`${account}|${range}`, { ids })
        }
      }
    }
    return out.sort(
      (a, b) =>
        byKey(a.account_id as string, b.account_id as string) ||
        byKey(a.time_range as string, b.time_range as string) ||
        byKey(a.dt as string, b.dt as string) ||
        (a.rank as number) - (b.rank as number),
    )
  }
}

/** ISO weekday (1 = Monday) of an instant, in UTC. */
const isoWeekday = (iso: string) => ((new Date(iso).getUTCDay() + 6) % 7) + 1
const minutes = (ms: number) => Math.round((ms / 60_000) * 100) / 100

interface PlaysFacts {
  plays: readonly Play[]
  track(id: string): { duration_ms: number; artist_ids: string[] } | undefined
}

/** Groups the plays by a key, with their count and known milliseconds. */
function playGroups({ plays, track }: PlaysFacts, key: (p: Play) => string) {
  const groups = new Map<string, { plays: number; ms: number; untimed: number }>()
  for (const p of plays) {
    const g = groups.get(key(p)) ?? { plays: 0, ms: 0, untimed: 0 }
    const ms = track(p.track)?.duration_ms
    g.plays++
    if (ms === undefined) g.untimed++
    else g.ms += ms
    groups.set(key(p), g)
  }
  return [...groups].sort(([a], [b]) => byKey(a, b))
}

function minutesPerDay(facts: PlaysFacts): Out[] {
  return playGroups(facts, (p) => `${p.playedAt.slice(0, 10)}|${p.account}`).map(([k, g]) => ({
    play_date: k.split('|')[0],
    account_id: k.split('|')[1],
    plays: g.plays,
    minutes: minutes(g.ms),
    plays_without_duration: g.untimed,
  }))
}

function heatmap(facts: PlaysFacts): Out[] {
  const hour = (p: Play) => String(new Date(p.playedAt).getUTCHours()).padStart(2, '0')
  return playGroups(facts, (p) => `${p.account}|${isoWeekday(p.playedAt)}|${hour(p)}`).map(([k, g]) => ({
    account_id: k.split('|')[0],
    weekday: Number(k.split('|')[1]),
    hour: Number(k.split('|')[2]),
    plays: g.plays,
    minutes: minutes(g.ms),
  }))
}

function newArtistsPerMonth({ plays, track }: PlaysFacts): Out[] {
  const months = new Map<string, Set<string>>()
  for (const p of plays) {
    const key = `${p.playedAt.slice(0, 7)}-01|${p.account}`
    const artists = months.get(key) ?? new Set<string>()
    for (const a of track(p.track)?.artist_ids ?? []) artists.add(a)
    if (artists.size > 0) months.set(key, artists)
  }
  const seen = new Map<string, Set<string>>()
  return [...months]
    .sort(([a], [b]) => byKey(a, b))
    .map(([k, artists]) => {
      const [month, account] = k.split('|') as [string, string]
      const before = seen.get(account) ?? new Set<string>()
      const fresh = [...artists].filter((a) => !before.has(a)).length
      for (const a of artists) before.add(a)
      seen.set(account, before)
      return { month, account_id: account, new_artists: fresh, artists_played: artists.size }
    })
}

export const INSIGHT_NAMES = [
  'explicit-share',
  'genre-mix',
  'library-growth',
  'listening-heatmap',
  'listening-minutes-per-day',
  'new-artists-per-month',
  'newest-releases',
  'playlist-changes',
  'playlist-size-over-time',
  'release-year-distribution',
  'saved-but-never-played',
  'top-artists-over-time',
  'top-artists',
  'top-tracks-over-time',
] as const
