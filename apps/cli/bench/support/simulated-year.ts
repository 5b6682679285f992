/**
 * @module A year of simulated listening, as lake files: plays of a few accounts (more in the evenings and
 * at weekends, a slowly widening taste), the tracks they played, weekly playlist sizes, weekly top lists
 * (ranked from the last four weeks' plays) and a saved library that grows from the most played tracks.
 * Deterministic for a seed. The dashboard's benchmark and its README screenshot read it.
 */
import {
  type AnyLakeTable,
  NO_EXPORT_FIELDS,
  playKeyOf,
  playlistsTable,
  playsTable,
  runTablesTable,
  savedTracksTable,
  topArtistsTable,
  topTracksTable,
  tracksTable,
} from '@spotify-lake/schemas'

export interface SimulatedFile {
  table: AnyLakeTable | typeof runTablesTable
  run: { dt: string; runId: string }
  rows: Record<string, unknown>[]
}

/** mulberry32: a small seeded PRNG, so a benchmark's lake is the same every time. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Plays per hour of the day (UTC): quiet nights, a commute, the evening peak.
const HOUR_WEIGHT = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 1, 3, 4, 3, 2, 2, 3, 2, 2, 2, 3, 4, 5, 6, 6, 5, 4, 2]

const iso = (ms: number) => new Date(ms).toISOString()
const runId = (day: string, tag: string) => `${day.replaceAll('-', '')}T060000000Z-${tag}`

export function simulatedYear({
  end = '2026-11-28',
  days = 365,
  accounts = ['listener-one', 'listener-two'],
  playsPerDay = 40,
  tracks = 800,
  artists = 200,
  seed = 7,
}: {
  end?: string
  days?: number
  accounts?: string[]
  playsPerDay?: number
  tracks?: number
  artists?: number
  seed?: number
} = {}): { files: SimulatedFile[]; plays: number } {
  const rand = random(seed)
  const endMs = Date.parse(`${end}T00:00:00Z`)
  const startMs = endMs - (days - 1) * 86_400_000
  const hourTotal = HOUR_WEIGHT.reduce((a, b) => a + b, 0)
  const pickHour = () => {
    let x = rand() * hourTotal
    for (let h = 0; h < 24; h++) {
      x -= HOUR_WEIGHT[h]!
      if (x <= 0) return h
    }
    return 23
  }
  // Neighbouring tracks share artists, so a widening pool of tracks meets new artists all year.
  const perArtist = Math.max(1, Math.floor(tracks / artists))
  const trackArtists = Array.from({ length: tracks }, (_, i) => [
    `ar${Math.floor(i / perArtist)}`,
    ...(i % 9 === 0 ? [`ar${Math.floor(((i * 7) % tracks) / perArtist)}`] : []),
  ])
  const files: SimulatedFile[] = []
  let total = 0
  for (let d = 0; d < days; d++) {
    const dayMs = startMs + d * 86_400_000
    const day = iso(dayMs).slice(0, 10)
    const weekend = [0, 6].includes(new Date(dayMs).getUTCDay())
    const run = { dt: day, runId: runId(day, 'plays0') }
    const rows: Record<string, unknown>[] = []
    accounts.forEach((account, a) => {
      const n = Math.round(playsPerDay * (weekend ? 1.5 : 1) * (0.5 + rand()) * (a === 0 ? 1 : 0.6))
      // Taste widens over the year: the pool of tracks grows from a quarter to all of them.
      const pool = Math.max(10, Math.floor(tracks * (0.25 + (0.75 * d) / days)))
      const seen = new Set<number>()
      for (let i = 0; i < n; i++) {
        const at = dayMs + pickHour() * 3_600_000 + Math.floor(rand() * 3_600_000)
        if (seen.has(at)) continue
        seen.add(at)
        const track = `t${Math.floor(rand() * pool)}`
        rows.push({
          account_id: account,
          played_at: new Date(at),
          play_key: playKeyOf({ ...NO_EXPORT_FIELDS, source: 'recently_played', track_id: track }),
          track_id: track,
          context_type: null,
          context_uri: null,
          source: 'recently_played',
          item_type: 'track',
          ...NO_EXPORT_FIELDS,
          _run_id: run.runId,
          _extracted_at: new Date(dayMs + 86_400_000),
        })
      }
    })
    total += rows.length
    files.push({ table: playsTable, run, rows })
  }
  const catalogRun = { dt: end, runId: runId(end, 'catlg0') }
  files.push({
    table: tracksTable,
    run: catalogRun,
    rows: trackArtists.map((ids, i) => ({
      track_id: `t${i}`,
      name: `Track ${i}`,
      uri: `spotify:track:t${i}`,
      duration_ms: 150_000 + Math.floor(rand() * 150_000),
      explicit: false,
      isrc: null,
      album_id: `al${i % 300}`,
      album_name: `Album ${i % 300}`,
      disc_number: 1,
      track_number: 1,
      artist_ids: ids,
      artist_names: ids.map((id) => `Artist ${id.slice(2)}`),
      is_playable: null,
      popularity: null,
      _run_id: catalogRun.runId,
      _extracted_at: new Date(endMs),
    })),
  })
  // Weekly playlist sizes: three playlists growing at their own pace.
  const sizes = [20, 50, 5]
  for (let w = 0; w * 7 < days; w++) {
    const day = iso(startMs + w * 7 * 86_400_000).slice(0, 10)
    const run = { dt: day, runId: runId(day, 'lists0') }
    sizes.forEach((_, p) => {
      sizes[p]! += Math.floor(rand() * (p + 2)) - (rand() < 0.2 ? 1 : 0)
    })
    files.push({
      table: playlistsTable,
      run,
      rows: ['Daily Mix', 'Road Trip', 'Focus'].map((name, p) => ({
        playlist_id: `pl${p}`,
        name,
        description: null,
        uri: `spotify:playlist:pl${p}`,
        snapshot_id: `s${p}-${w}`,
        owner_id: 'listener-one',
        owner_display_name: 'Listener One',
        public: true,
        collaborative: false,
        items_total: sizes[p],
        followers: null,
        image_url: null,
        _run_id: run.runId,
        _extracted_at: new Date(`${day}T06:00:00Z`),
      })),
    })
    files.push({
      table: runTablesTable,
      run,
      rows: [
        {
          table_name: 'playlists',
          run_status: 'succeeded',
          complete: true,
          incomplete_reason: null,
          rows_written: 3,
          rows_rejected: 0,
          _run_id: run.runId,
          _extracted_at: new Date(`${day}T06:00:00Z`),
        },
      ],
    })
  }
  files.push(...weeklySnapshots({ files, accounts, startMs, days, trackArtists }))
  return { files, plays: total }
}

/**
 * Each week's top lists (short_term: the last four weeks' plays; 10 tracks and 10 artists per account)
 * and saved tracks: an account saves a track once it played it 5 times, and removes the oldest save every
 * eighth week. One weekly run writes them, complete for the top lists in run_tables.
 */
function weeklySnapshots({
  files,
  accounts,
  startMs,
  days,
  trackArtists,
}: {
  files: readonly SimulatedFile[]
  accounts: readonly string[]
  startMs: number
  days: number
  trackArtists: readonly string[][]
}): SimulatedFile[] {
  const plays = files.filter((f) => f.table === playsTable).flatMap((f) => f.rows)
  const out: SimulatedFile[] = []
  const saved = new Map(accounts.map((a) => [a, [] as { id: string; at: Date }[]]))
  for (let w = 1; w * 7 < days; w++) {
    const endMs = startMs + w * 7 * 86_400_000
    const day = iso(endMs).slice(0, 10)
    const run = { dt: day, runId: runId(day, 'user00') }
    const lineage = { _run_id: run.runId, _extracted_at: new Date(endMs + 6 * 3_600_000) }
    const tops: Record<string, unknown>[][] = [[], []]
    const holdings: Record<string, unknown>[] = []
    for (const account of accounts) {
      const recent = plays.filter((p) => {
        const at = (p.played_at as Date).getTime()
        return p.account_id === account && at < endMs && at >= endMs - 28 * 86_400_000
      })
      const count = (key: (p: Record<string, unknown>) => string[]) => {
        const n = new Map<string, number>()
        for (const p of recent) for (const k of key(p)) n.set(k, (n.get(k) ?? 0) + 1)
        return [...n.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      }
      const trackIndex = (p: Record<string, unknown>) => Number((p.track_id as string).slice(1))
      const byTrack = count((p) => [p.track_id as string])
      count((p) => trackArtists[trackIndex(p)]!)
        .slice(0, 10)
        .forEach(([id], i) => {
          tops[0]!.push({
            account_id: account,
            time_range: 'short_term',
            rank: i + 1,
            artist_id: id,
            artist_name: `Artist ${id.slice(2)}`,
            ...lineage,
          })
        })
      byTrack.slice(0, 10).forEach(([id], i) => {
        const artists = trackArtists[Number(id.slice(1))]!
        tops[1]!.push({
          account_id: account,
          time_range: 'short_term',
          rank: i + 1,
          track_id: id,
          track_name: `Track ${id.slice(1)}`,
          artist_ids: artists,
          artist_names: artists.map((a) => `Artist ${a.slice(2)}`),
          ...lineage,
        })
      })
      const held = saved.get(account)!
      for (const [id, n] of byTrack) {
        if (n < 5 || held.some((h) => h.id === id)) continue
        const holding = { id, at: new Date(endMs - 3_600_000) }
        held.push(holding)
        holdings.push({
          account_id: account,
          track_id: id,
          added_at: holding.at,
          removed_at: null,
          ...lineage,
        })
      }
      if (w % 8 === 0 && held.length > 0) {
        const gone = held.shift()!
        holdings.push({
          account_id: account,
          track_id: gone.id,
          added_at: gone.at,
          removed_at: new Date(endMs),
          ...lineage,
        })
      }
    }
    out.push({ table: topArtistsTable, run, rows: tops[0]! }, { table: topTracksTable, run, rows: tops[1]! })
    if (holdings.length > 0) out.push({ table: savedTracksTable, run, rows: holdings })
    out.push({
      table: runTablesTable,
      run,
      rows: ['top_artists', 'top_tracks'].map((table_name, t) => ({
        table_name,
        run_status: 'succeeded',
        complete: true,
        incomplete_reason: null,
        rows_written: tops[t]!.length,
        rows_rejected: 0,
        ...lineage,
      })),
    })
  }
  return out
}
