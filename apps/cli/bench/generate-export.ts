/**
 * @module A generated Extended streaming history of a heavy listener: `plays` plays over `years` years,
 * compact JSON as Spotify writes it (about 300 bytes a play), files of about 15,000 plays named per year
 * range, with the quirks mixed in (episodes, audiobooks, unknown content, ms offline timestamps in old
 * rows, null skipped, unknown reasons). Deterministic for a seed.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const REASONS_START = [
  'trackdone',
  'clickrow',
  'fwdbtn',
  'backbtn',
  'playbtn',
  'appload',
  'remote',
  'trackerror',
  'unknown',
]
const REASONS_END = [
  'trackdone',
  'fwdbtn',
  'endplay',
  'logout',
  'unexpected-exit',
  'unexpected-exit-while-paused',
  'remote',
  'backbtn',
]
const PLATFORMS = [
  'android',
  'ios',
  'web_player',
  'osx',
  'windows',
  'Android OS 12 API 31 (samsung, SM-G991B)',
]
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface GeneratedExport {
  folder: string
  files: string[]
  plays: number
  bytes: number
}

/** Writes the export's files under `folder/Spotify Extended Streaming History/`. */
export async function generateExport({
  folder,
  plays = 200_000,
  years = 15,
  perFile = 15_000,
  seed = 16,
}: {
  folder: string
  plays?: number
  years?: number
  perFile?: number
  seed?: number
}): Promise<GeneratedExport> {
  const random = rng(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
  const id = (n: number) => {
    let s = ''
    let v = n * 2654435761 + 12345
    for (let i = 0; i < 22; i++) {
      s += B62[v % 62]
      v = Math.floor(v / 62) + i * 7 + n
    }
    return s
  }
  const dir = join(folder, 'Spotify Extended Streaming History')
  await mkdir(dir, { recursive: true })
  const start = Date.UTC(2011, 0, 1)
  const step = (years * 365.25 * 86_400_000) / plays
  const files: string[] = []
  let bytes = 0
  for (let first = 0; first < plays; first += perFile) {
    const records: string[] = []
    const last = Math.min(plays, first + perFile)
    for (let i = first; i < last; i++) {
      const ts = Math.floor((start + i * step + random() * step * 0.5) / 1000) * 1000
      const kind = random()
      const track = Math.floor(random() * random() * 30_000)
      const artist = track % 3000
      const isTrack = kind < 0.9
      const isEpisode = kind >= 0.9 && kind < 0.96
      const isBook = kind >= 0.96 && kind < 0.98
      const old = ts < Date.UTC(2018, 0, 1)
      records.push(
        JSON.stringify({
          ts: new Date(ts).toISOString().replace('.000Z', 'Z'),
          platform: pick(PLATFORMS),
          ms_played: Math.floor(random() * 300_000),
          conn_country: pick(['SE', 'DE', 'JP', 'ZZ']),
          ip_addr: `192.0.2.${Math.floor(random() * 255)}`,
          master_metadata_track_name: isTrack ? `Song ${track}` : null,
          master_metadata_album_artist_name: isTrack ? `Artist ${artist}` : null,
          master_metadata_album_album_name: isTrack ? `Album ${track % 9000}` : null,
          spotify_track_uri: isTrack ? `spotify:track:${id(track)}` : null,
          episode_name: isEpisode ? `Episode ${track % 500}` : null,
          episode_show_name: isEpisode ? `Show ${track % 40}` : null,
          spotify_episode_uri: isEpisode ? `spotify:episode:${id(track + 100_000)}` : null,
          audiobook_title: isBook ? `Book ${track % 20}` : null,
          audiobook_uri: isBook ? `spotify:audiobook:${id((track % 20) + 200_000)}` : null,
          audiobook_chapter_uri: isBook ? `spotify:chapter:${id(track + 300_000)}` : null,
          audiobook_chapter_title: isBook ? `Chapter ${track % 30}` : null,
          reason_start: pick(REASONS_START),
          reason_end: pick(REASONS_END),
          shuffle: random() < 0.4,
          skipped: old && random() < 0.5 ? null : random() < 0.2,
          offline: random() < 0.05,
          offline_timestamp: old ? ts - 60_000 : Math.floor(ts / 1000) - 60,
          incognito_mode: random() < 0.01,
        }),
      )
    }
    const fromYear = new Date(start + first * step).getUTCFullYear()
    const toYear = new Date(start + (last - 1) * step).getUTCFullYear()
    const name = `Streaming_History_Audio_${fromYear === toYear ? fromYear : `${fromYear}-${toYear}`}_${files.length}.json`
    const text = `[${records.join(',')}]`
    await writeFile(join(dir, name), text)
    files.push(join(dir, name))
    bytes += Buffer.byteLength(text)
  }
  return { folder, files, plays, bytes }
}
