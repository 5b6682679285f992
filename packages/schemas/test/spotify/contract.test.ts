/** @module Contract: our zod schemas accept what Spotify's OpenAPI description says each endpoint returns. */
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { generateInstance, loadOpenApi, responseSchema, validateInstance } from '../../src/contract/index.ts'
import {
  AlbumSchema,
  AlbumTracksPageSchema,
  ArtistAlbumsPageSchema,
  ArtistSchema,
  PlaylistItemsPageSchema,
  PlaylistSchema,
  playlistContentKind,
  playlistItemContent,
  RecentlyPlayedSchema,
  SavedTracksPageSchema,
  SeveralAlbumsSchema,
  SeveralArtistsSchema,
  SeveralTracksSchema,
  SpotifyErrorSchema,
  TopArtistsPageSchema,
  TopTracksPageSchema,
  TrackSchema,
  UserPlaylistsPageSchema,
  UserSchema,
} from '../../src/spotify/index.ts'

const doc = loadOpenApi()

/** Every GET the pipeline makes, with the schema it parses the 200 body with. */
const ENDPOINTS: [path: string, schema: z.ZodType][] = [
  ['/playlists/{id}', PlaylistSchema],
  ['/playlists/{id}/items', PlaylistItemsPageSchema],
  ['/playlists/{id}/tracks', PlaylistItemsPageSchema],
  ['/tracks', SeveralTracksSchema],
  ['/tracks/{id}', TrackSchema],
  ['/albums', SeveralAlbumsSchema],
  ['/albums/{id}', AlbumSchema],
  ['/albums/{id}/tracks', AlbumTracksPageSchema],
  ['/artists', SeveralArtistsSchema],
  ['/artists/{id}', ArtistSchema],
  ['/artists/{id}/albums', ArtistAlbumsPageSchema],
  ['/me/playlists', UserPlaylistsPageSchema],
  ['/users/{id}/playlists', UserPlaylistsPageSchema],
  ['/users/{id}', UserSchema],
  ['/me/player/recently-played', RecentlyPlayedSchema],
  ['/me/tracks', SavedTracksPageSchema],
  ['/me/top/artists', TopArtistsPageSchema],
  ['/me/top/tracks', TopTracksPageSchema],
]

const VARIANTS = [
  { arrayLength: 1, nullableAs: 'value' },
  { arrayLength: 2, nullableAs: 'value' },
  { arrayLength: 2, nullableAs: 'null' },
] as const

describe.each(ENDPOINTS)('GET %s 200', (path, schema) => {
  const openApiSchema = responseSchema({ doc, method: 'GET', path })

  it.each(VARIANTS)(
    'accepts the generated instance (arrays of $arrayLength, nullables as $nullableAs)',
    (variant) => {
      const instance = generateInstance({ doc, schema: openApiSchema, ...variant })
      // The instance is a valid response by the contract's own rules, so a failure below is ours.
      expect(validateInstance({ doc, schema: openApiSchema, value: instance })).toEqual([])
      const parsed = schema.safeParse(instance)
      expect(parsed.error?.issues ?? []).toEqual([])
      // Loose objects: nothing the contract describes is stripped on the way through.
      expect(parsed.data).toEqual(instance)
    },
  )
})

describe('error bodies', () => {
  it.each([401, 403, 429])('GET /tracks/{id} %i parses as SpotifyErrorSchema', (status) => {
    const schema = responseSchema({ doc, method: 'GET', path: '/tracks/{id}', status })
    const instance = generateInstance({ doc, schema })
    expect(SpotifyErrorSchema.parse(instance)).toEqual(instance)
  })
})

describe('playlist items in the contract hold tracks and episodes', () => {
  it('reads both the 2026 `item` and the legacy `track` of every generated entry', () => {
    const schema = responseSchema({ doc, method: 'GET', path: '/playlists/{id}/items' })
    const page = PlaylistItemsPageSchema.parse(generateInstance({ doc, schema, arrayLength: 2 }))
    const kinds = page.items.map((entry) => {
      const content = playlistItemContent(entry)
      if (content === null) throw new Error('generated content is never null with nullableAs=value')
      return playlistContentKind(content)
    })
    // Array position picks the oneOf branch: element 0 is a TrackObject, element 1 an EpisodeObject.
    expect(kinds).toEqual(['track', 'episode'])
  })
})
