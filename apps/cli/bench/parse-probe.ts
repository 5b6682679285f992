/**
 * @module Child process of the import bench: the streaming parse of one zip under a V8 heap cap (exit 0 =
 * it fits); `baseline` loads the same modules and parses nothing, for what the parse itself adds.
 */
import { createReadStream } from 'node:fs'
import { readExport } from '@spotify-lake/spotify-export'

const [file, mode] = process.argv.slice(2) as [string, string | undefined]
if (mode !== 'baseline') {
  let plays = 0
  const chunks = createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Uint8Array>
  for await (const batch of readExport({ name: file, chunks }))
    plays += batch.filter((i) => i.type === 'play').length
  if (plays === 0) throw new Error('no plays read')
}
