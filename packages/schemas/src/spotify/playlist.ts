/** @module Playlist payloads in both 2026 shapes (`items`/`item` and legacy `tracks`/`track`), plus helpers. */
import { z } from 'zod'
import { ExternalUrlsSchema, FollowersSchema, ImageSchema } from './common.ts'
import { EpisodeSchema, TrackShapedEpisodeSchema } from './episode.ts'
import { spotifyObject } from './object.ts'
import { pagingSchema } from './paging.ts'
import { CatalogTrackSchema, isLocalTrack, LocalTrackSchema } from './track.ts'
import { PlaylistOwnerSchema, PlaylistUserSchema } from './user.ts'

/** What a playlist item holds: a catalog track, a local file, an episode, or an episode in track shape. */
export const PlaylistItemContentSchema = z.union([
  CatalogTrackSchema,
  LocalTrackSchema,
  EpisodeSchema,
  TrackShapedEpisodeSchema,
])
export type PlaylistItemContent = z.infer<typeof PlaylistItemContentSchema>

/**
 * One entry of a playlist. Legacy responses put the content in `track`, 2026 responses in `item`
 * (some send both, holding the same object). The content is null for tracks Spotify removed.
 * `added_at`/`added_by` are null on very old playlists.
 */
export const PlaylistItemBaseSchema = spotifyObject({
  added_at: z.string().nullable(),
  added_by: PlaylistUserSchema.nullish(),
  is_local: z.boolean().optional(),
  item: PlaylistItemContentSchema.nullable().optional(),
  track: PlaylistItemContentSchema.nullable().optional(),
  primary_color: z.string().nullish(),
})

/**
 * `PlaylistItemBaseSchema` plus the rule that the content key is present. zod refuses
 * `.omit`/`.pick` on refined objects: derive variants from the base schema instead.
 */
export const PlaylistItemSchema = PlaylistItemBaseSchema.refine(
  (entry) => entry.item !== undefined || entry.track !== undefined,
  {
    message: 'a playlist item needs `item` (2026) or `track` (legacy); it may be null, not absent',
  },
)
export type PlaylistItem = z.infer<typeof PlaylistItemSchema>

/** GET /playlists/{id}/items (and legacy /tracks): a page of playlist items. */
export const PlaylistItemsPageSchema = pagingSchema(PlaylistItemSchema)
export type PlaylistItemsPage = z.infer<typeof PlaylistItemsPageSchema>

const playlistFields = {
  id: z.string(),
  name: z.string(),
  type: z.literal('playlist'),
  uri: z.string(),
  href: z.string(),
  external_urls: ExternalUrlsSchema,
  collaborative: z.boolean(),
  /** Null when never set. */
  description: z.string().nullable(),
  owner: PlaylistOwnerSchema,
  /** Null when the status does not apply. */
  public: z.boolean().nullable(),
  /** Changes with every edit; absent only in the 2014 beta API. */
  snapshot_id: z.string().optional(),
  /** `[null]` in 2014-era payloads; null for some playlists without any cover. */
  images: z.array(ImageSchema.nullable()).nullable(),
  primary_color: z.string().nullish(),
}

/**
 * GET /playlists/{id}. Holds the first page of items under `items` (2026), `tracks` (legacy) or
 * both. Spotify documents `items` as sent only for playlists the user owns or collaborates on,
 * so both keys are optional.
 * Use `playlistItemsPage` rather than reading either key.
 */
export const PlaylistSchema = spotifyObject({
  ...playlistFields,
  followers: FollowersSchema.optional(),
  items: PlaylistItemsPageSchema.optional(),
  tracks: PlaylistItemsPageSchema.optional(),
})
export type Playlist = z.infer<typeof PlaylistSchema>

/**
 * A page as an extractor reads it: an entry that fails `PlaylistItemSchema` (a shape Spotify never sent
 * before) becomes `null` instead of failing the whole page, so paging goes on and one odd entry cannot
 * cost the rest of the playlist. Keep the raw body: it holds the entry as sent, and the transformer
 * rejects it there with the schema issue as its reason.
 */
export const TolerantPlaylistItemsPageSchema = pagingSchema(PlaylistItemSchema.nullable().catch(null))
export type TolerantPlaylistItemsPage = z.infer<typeof TolerantPlaylistItemsPageSchema>

/** `PlaylistSchema` whose embedded first page is a `TolerantPlaylistItemsPageSchema`. */
export const TolerantPlaylistSchema = PlaylistSchema.extend({
  items: TolerantPlaylistItemsPageSchema.optional(),
  tracks: TolerantPlaylistItemsPageSchema.optional(),
})
export type TolerantPlaylist = z.infer<typeof TolerantPlaylistSchema>

/** `{href, total}`: where a simplified playlist's items are and how many there are. */
export const PlaylistItemsRefSchema = spotifyObject({ href: z.string(), total: z.int() })
export type PlaylistItemsRef = z.infer<typeof PlaylistItemsRefSchema>

/** The playlist as listed by /me/playlists and /users/{id}/playlists. */
export const SimplifiedPlaylistSchema = spotifyObject({
  ...playlistFields,
  description: z.string().nullish(),
  items: PlaylistItemsRefSchema.optional(),
  tracks: PlaylistItemsRefSchema.optional(),
})
export type SimplifiedPlaylist = z.infer<typeof SimplifiedPlaylistSchema>

/**
 * The first page of a playlist's items, from `items` (preferred, 2026) or `tracks` (legacy).
 * Null when the response carries neither (e.g. a playlist the user neither owns nor collaborates on).
 */
export function playlistItemsPage<Page>(playlist: {
  items?: Page | null | undefined
  tracks?: Page | null | undefined
}): Page | null {
  return playlist.items ?? playlist.tracks ?? null
}

/** What a playlist entry holds, from `item` (2026) or `track` (legacy); null for removed tracks. */
export function playlistItemContent<Content>(entry: {
  item?: Content | null | undefined
  track?: Content | null | undefined
}): Content | null {
  return entry.item ?? entry.track ?? null
}

export type PlaylistContentKind = 'track' | 'local-track' | 'episode' | 'track-shaped-episode'

/** Which of the four shapes a parsed playlist item content is, so callers branch without sniffing keys. */
export function playlistContentKind(content: PlaylistItemContent): PlaylistContentKind {
  if (content.type === 'track') return isLocalTrack(content) ? 'local-track' : 'track'
  return 'show' in content ? 'episode' : 'track-shaped-episode'
}
