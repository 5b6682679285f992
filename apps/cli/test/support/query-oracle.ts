/**
 * @module The expected answer of each insight, in plain TypeScript. Which playlists existed on a day and
 * what each snapshot held come from the fixture's declared facts (`DAYS`, `SNAPSHOT_ITEMS`), not from
 * choosing among its runs, so a wrong choice of runs in the SQL cannot be mirrored here. Catalog facts
 * (latest row per track, album, artist) come from the files.
 */

import { libraryGrowth, libraryOf, savedButNeverPlayed } from './library-lake.ts'
import {
  ARTIST_NAMES,
  DAYS,
  fixtureFiles,
  type Item,
  SNAPSHOT_ITEMS,
  type TableFile,
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
}

export const INSIGHT_NAMES = [
  'explicit-share',
  'genre-mix',
  'library-growth',
  'newest-releases',
  'playlist-changes',
  'playlist-size-over-time',
  'release-year-distribution',
  'saved-but-never-played',
  'top-artists',
] as const
