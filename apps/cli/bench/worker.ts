/** @module Bench-only Worker: the export parse on a request body inside workerd (what POST /imports streams). */
import { readExport } from '@spotify-lake/spotify-export'

export default {
  async fetch(request: Request): Promise<Response> {
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
