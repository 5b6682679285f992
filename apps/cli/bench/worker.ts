/**
 * @module Bench-only Worker: the export parse on a request body inside workerd (what POST /imports
 * streams), and the transformer's `import` message on raw parts in S3 (`/import`).
 */
import { lakeStoreFromEnv } from '@spotify-lake/lake-store'
import type { ImportMessage } from '@spotify-lake/schemas'
import { readExport } from '@spotify-lake/spotify-export'
import { onImport } from '../../transformer/src/import/on-import.ts'

interface BenchEnv {
  S3_ENDPOINT: string
  S3_BUCKET: string
  S3_ACCESS_KEY_ID: string
  S3_SECRET_ACCESS_KEY: string
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    if (new URL(request.url).pathname === '/import') {
      const message = (await request.json()) as ImportMessage
      const result = await onImport(message, lakeStoreFromEnv(env, { who: 'bench' }))
      return Response.json(result?.counts ?? null)
    }
    const name = new URL(request.url).searchParams.get('name') ?? 'my_spotify_data.zip'
    if (!request.body) return new Response('no body', { status: 400 })
    const counts = { files: 0, plays: 0, rejects: 0, msPlayed: 0 }
    const chunks = (async function* () {
      const reader = request.body!.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        yield value
      }
    })()
    for await (const batch of readExport({ name, chunks })) {
      for (const item of batch) {
        if (item.type === 'file') counts.files++
        else if (item.type === 'play') {
          counts.plays++
          counts.msPlayed += item.play.ms_played
        } else if (item.type === 'reject') counts.rejects++
      }
    }
    return Response.json(counts)
  },
}
