/** @module Which schema parses which recorded fixture, by the file name's `<endpoint-kind>--` prefix. */
import { z } from 'zod'
import {
  AlbumSchema,
  AlbumTracksPageSchema,
  ArtistAlbumsPageSchema,
  ArtistSchema,
  PlaylistItemSchema,
  PlaylistItemsPageSchema,
  PlaylistProjectionSchema,
  PlaylistSchema,
  RecentlyPlayedSchema,
  SavedAlbumsPageSchema,
  SavedTracksPageSchema,
  SeveralAlbumsSchema,
  SeveralArtistsSchema,
  SeveralTracksSchema,
  TopArtistsPageSchema,
  TopTracksPageSchema,
  TrackSchema,
  UserPlaylistsPageSchema,
} from '../../../src/spotify/index.ts'

/** Endpoint kind (the file name up to the first `--`) to the schema the pipeline parses it with. */
export const SCHEMA_BY_KIND: Record<string, z.ZodType> = {
  album: AlbumSchema,
  'album-tracks': AlbumTracksPageSchema,
  artist: ArtistSchema,
  'artist-albums': ArtistAlbumsPageSchema,
  'paging-search-playlists': UserPlaylistsPageSchema,
  playlist: PlaylistSchema,
  'playlist-fields': PlaylistProjectionSchema,
  'playlist-items': PlaylistItemsPageSchema,
  'recently-played': RecentlyPlayedSchema,
  // GET /artists/{id}/related-artists has the several-artists shape (no nulls).
  'related-artists': SeveralArtistsSchema,
  'saved-albums': SavedAlbumsPageSchema,
  'saved-tracks': SavedTracksPageSchema,
  'several-albums': SeveralAlbumsSchema,
  'several-artists': SeveralArtistsSchema,
  'several-tracks': SeveralTracksSchema,
  'top-artists': TopArtistsPageSchema,
  'top-tracks': TopTracksPageSchema,
  track: TrackSchema,
  'user-playlists': UserPlaylistsPageSchema,
}

/**
 * exportify's fixtures are MSW mock bodies built from real responses but cut down to `href` and
 * `items` (see SOURCES.md): they are parsed as that fragment, with the real item schema.
 */
export const PlaylistItemsFragmentSchema = z.looseObject({
  href: z.string(),
  items: z.array(PlaylistItemSchema),
})

export function fixtureKind(fileName: string): string {
  return fileName.split('--')[0] ?? fileName
}

/** The schema for a fixture file, by its name; throws for a file nobody mapped (so none is skipped). */
export function schemaForFixture(fileName: string): z.ZodType {
  if (fileName.startsWith('playlist-items--exportify--')) return PlaylistItemsFragmentSchema
  const schema = SCHEMA_BY_KIND[fixtureKind(fileName)]
  if (!schema) throw new Error(`no schema mapped for fixture ${fileName}`)
  return schema
}
