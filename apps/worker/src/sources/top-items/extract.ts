/**
 * @module The top_items source's extraction: one account's top tracks or top artists over one time
 * range, from Spotify (offset paging, 50 a page; Spotify's lists stop at about 100, so one or two
 * calls); no queues, no S3 (those are the caller's).
 */
import type { TopItemsUnit } from '@spotify-lake/schemas'
import { emptyReferencedIds } from '../playlists/referenced-ids.ts'
import type { ExtractContext, UnitOutcome } from '../types.ts'

/**
 * Reads the whole ranked list into `ctx.responses`. Top tracks refer to their albums and artists, which
 * the run then fetches once each as the catalog source does for playlist tracks; top artists are full
 * artist objects already.
 */
export async function extractTopItems(
  unit: TopItemsUnit,
  { client, responses }: ExtractContext,
): Promise<UnitOutcome> {
  let items = 0
  const referenced = emptyReferencedIds()
  if (unit.itemType === 'tracks') {
    for await (const page of client.topItems('tracks', { timeRange: unit.timeRange })) {
      responses.push(page.raw)
      items += page.data.items.length
      for (const track of page.data.items) {
        if (track.album.id) referenced.albums.add(track.album.id)
        for (const artist of [...track.artists, ...(track.album.artists ?? [])])
          if (artist.id) referenced.artists.add(artist.id)
      }
    }
  } else {
    for await (const page of client.topItems('artists', { timeRange: unit.timeRange })) {
      responses.push(page.raw)
      items += page.data.items.length
    }
  }
  return { kind: 'extracted', unit, items, ...(unit.itemType === 'tracks' ? { referenced } : {}) }
}
