/** @module Which catalog ids playlist items refer to, over recorded real responses (local files, null tracks, episodes). */
import { type PlaylistItem, PlaylistItemSchema } from '@spotify-lake/schemas'
import { recorded } from '@spotify-lake/spotify-fixtures'
import { describe, expect, it } from 'vitest'
import { addReferencedIds, emptyReferencedIds } from '../../src/sources/playlists/referenced-ids.ts'

function items(name: string): PlaylistItem[] {
  const page = recorded<{ items: unknown[] }>(name)
  return page.items.map((item) => PlaylistItemSchema.parse(item))
}

describe('addReferencedIds', () => {
  it('takes the albums and artists of catalog tracks, and skips episodes', () => {
    const ids = addReferencedIds(
      emptyReferencedIds(),
      items('playlist-items--zmb3--playlist_items_episodes_and_tracks.json'),
    )
    expect([...ids.albums].sort()).toEqual(['05aqnnpYVOvsX0SIzmIuxi', '2xe0gTFgZok8BDgUlkpRQ6'])
    expect([...ids.artists].sort()).toEqual(['2S5hlvw4CMtMGswFtfdK15', '6ekYAO2D1JkI58CF4uRRqw'])
  })

  it('finds nothing to fetch in local files (null ids) or removed tracks (null content)', () => {
    const ids = emptyReferencedIds()
    addReferencedIds(ids, items('playlist-items--exportify--handlers-localTrackHandlers.json'))
    addReferencedIds(ids, items('playlist-items--exportify--handlers-nullTrackHandlers.json'))
    expect(ids.albums.size + ids.artists.size).toBe(0)
  })

  it('accumulates across pages without duplicates', () => {
    const page = items('playlist-items--zmb3--playlist_items_episodes_and_tracks.json')
    const ids = addReferencedIds(addReferencedIds(emptyReferencedIds(), page), page)
    expect(ids.albums.size).toBe(2)
  })
})
