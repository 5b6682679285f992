/** @module The inputs of `lake import`: a zip, a folder (its play files, recursively) or one play file, as byte streams. */
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { type ExportInput, exportFileKind } from '@spotify-lake/spotify-export'
import { UsageError } from '../command.ts'

async function* chunksOf(path: string): AsyncGenerator<Uint8Array> {
  // 1 MiB reads: the parse holds one chunk at a time.
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Uint8Array
}

async function walk(folder: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) out.push(...(await walk(path)))
    else if (entry.isFile()) out.push(path)
  }
  return out
}

/**
 * The inputs at `path`: a `.zip` or a play file as one input; a folder as its play files (any depth,
 * in name order) and zips. Other files of a folder are left alone.
 * @throws UsageError for a path that does not exist, a folder without play files, or a file that is
 *   neither a zip nor a play file.
 */
export async function exportInputsAt(path: string): Promise<{ inputs: ExportInput[]; skipped: string[] }> {
  const info = await stat(path).catch(() => null)
  if (!info) throw new UsageError(`no such file or folder: ${path}`)
  if (info.isFile()) {
    if (!/\.zip$/i.test(path) && exportFileKind(path) === null)
      throw new UsageError(
        `${path} is neither a zip nor a play file of a Spotify export (Streaming_History_Audio_*.json, Streaming_History_Video_*.json, endsong_*.json, StreamingHistory_music_*.json, StreamingHistory_podcast_*.json, StreamingHistory<n>.json)`,
      )
    return { inputs: [{ name: path, chunks: chunksOf(path) }], skipped: [] }
  }
  const files = (await walk(path)).sort()
  const plays = files.filter((f) => /\.zip$/i.test(f) || exportFileKind(f) !== null)
  if (plays.length === 0)
    throw new UsageError(`${path} holds no play files of a Spotify export (nor a zip of one)`)
  return {
    inputs: plays.map((f) => ({ name: relative(path, f) || f, chunks: chunksOf(f) })),
    skipped: files.filter((f) => !plays.includes(f)).map((f) => relative(path, f)),
  }
}
