/**
 * @module Record schemas: exactly the fields of a Spotify payload that the lake's rows are built from.
 *
 * The rule (docs/architecture.md, "Validate what the lake stores"): validation covers what row building
 * reads and nothing else, so a field the lake does not store (`linked_from`, `followers.href`,
 * `available_markets`...) never rejects a record; raw keeps it as sent. A field that any API mode or real
 * payload can leave out is `nullish` here and its column nullable; only a record's identity (the id its
 * table is keyed on, the ids listed in `artist_ids`) is required, since a row cannot exist without it.
 * A value of the wrong type is a reject naming its path. Unknown keys are allowed (loose objects).
 *
 * The transformer checks these with guards generated from them (`guards.generated.ts`, `pnpm generate`)
 * and re-runs zod only on a failing record, for its message: zod stays the one source of the rules.
 */
import { z } from 'zod'

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: Spotify's release date at its precision. */
export const RELEASE_DATE_PATTERN = /^\d{4}(-\d{2}(-\d{2})?)?$/

const text = z.string().nullish()
const int32 = z.int32().nullish()

/** An image: only what `image_url` (the largest image with a URL) reads. */
export const ImageRecordSchema = z.looseObject({
  url: text,
  width: z.int().nullish(),
  height: z.int().nullish(),
})

/** `images` as sent: absent, null, or a list whose slots may be null (2014-era `[null]`). */
const images = z.array(ImageRecordSchema.nullable()).nullish()

/** A list of strings (genres) as sent: absent/null is unknown, `[]` is "none". */
const strings = z.array(z.string()).nullish()

/** An artist referenced from a list column (`artist_ids` and `artist_names` are parallel lists). */
export const ArtistRefRecordSchema = z.looseObject({ id: z.string(), name: z.string() })

/** The `artists` list of a track or album: each one must be a reference the lists can hold. */
const artistRefs = z.array(ArtistRefRecordSchema).nullish()

/** An `artists` row: GET /artists/{id}, or the simplified artist inside tracks and albums. */
export const ArtistRecordSchema = z.looseObject({
  id: z.string(),
  name: text,
  uri: text,
  genres: strings,
  popularity: int32,
  followers: z.looseObject({ total: z.int().nullish() }).nullish(),
  images,
})
export type ArtistRecord = z.infer<typeof ArtistRecordSchema>

/** An `albums` row: GET /albums/{id}, or the simplified album inside a track. */
export const AlbumRecordSchema = z.looseObject({
  id: z.string(),
  name: text,
  uri: text,
  album_type: text,
  total_tracks: int32,
  /** The full album's track page: its `total` stands in when `total_tracks` is absent (2015-era). */
  tracks: z.looseObject({ total: int32 }).nullish(),
  release_date: z.string().regex(RELEASE_DATE_PATTERN).nullish(),
  release_date_precision: z.enum(['year', 'month', 'day']).nullish(),
  external_ids: z.looseObject({ upc: text }).nullish(),
  label: text,
  artists: artistRefs,
  genres: strings,
  popularity: int32,
  images,
})
export type AlbumRecord = z.infer<typeof AlbumRecordSchema>

/** The album of a track as the track's own columns read it (`album_id`, `album_name`). */
const albumRef = z.looseObject({ id: text, name: text }).nullish()

/** A `tracks` row: a catalog track from GET /tracks, a batch slot, or a playlist entry. */
export const TrackRecordSchema = z.looseObject({
  id: z.string(),
  name: text,
  uri: text,
  duration_ms: int32,
  explicit: z.boolean().nullish(),
  external_ids: z.looseObject({ isrc: text }).nullish(),
  album: albumRef,
  disc_number: int32,
  track_number: int32,
  artists: artistRefs,
  is_playable: z.boolean().nullish(),
  popularity: int32,
})
export type TrackRecord = z.infer<typeof TrackRecordSchema>

/** A playlist entry around its content: `added_at` (ISO 8601 with offset) and who added it. */
export const PlaylistEntryRecordSchema = z.looseObject({
  added_at: z.iso.datetime({ offset: true }).nullish(),
  added_by: z.looseObject({ id: text }).nullish(),
  is_local: z.boolean().nullish(),
})
export type PlaylistEntryRecord = z.infer<typeof PlaylistEntryRecordSchema>

/** What a `playlist_items` row reads of a catalog track (a subset of `TrackRecordSchema`). */
export const PlaylistTrackContentSchema = z.looseObject({
  id: text,
  uri: text,
  name: text,
  duration_ms: int32,
  album: z.looseObject({ id: text }).nullish(),
  artists: artistRefs,
})
export type PlaylistTrackContent = z.infer<typeof PlaylistTrackContentSchema>

/** What a `playlist_items` row reads of an episode (also the track-shaped one, rspotify #525). */
export const PlaylistEpisodeContentSchema = z.looseObject({
  id: text,
  uri: text,
  name: text,
  duration_ms: int32,
})
export type PlaylistEpisodeContent = z.infer<typeof PlaylistEpisodeContentSchema>

/** A local file: names from the user's file tags, no Spotify ids. */
export const PlaylistLocalContentSchema = z.looseObject({
  uri: text,
  name: text,
  duration_ms: int32,
  artists: z.array(z.looseObject({ name: text })).nullish(),
})
export type PlaylistLocalContent = z.infer<typeof PlaylistLocalContentSchema>

/**
 * What tells the kinds of content apart: `type` (`track` when absent, as in `fields=` projections),
 * `is_local` and the `spotify:local:` URI. Any other `type` (a new kind of content) is a reject.
 */
export const PlaylistContentHeadSchema = z.looseObject({
  type: z.enum(['track', 'episode']).nullish(),
  is_local: z.boolean().nullish(),
  uri: text,
})
export type PlaylistContentHead = z.infer<typeof PlaylistContentHeadSchema>

/** What the `playlists` row reads of the first items page: its `total` (the entries are records of their own). */
const pageTotal = z.looseObject({ total: int32 }).nullish()

/** A `playlists` row: GET /playlists/{id}, full or a `fields=` projection (`items_total` from either page). */
export const PlaylistRecordSchema = z.looseObject({
  id: z.string(),
  name: text,
  description: text,
  uri: text,
  snapshot_id: text,
  owner: z.looseObject({ id: text, display_name: text }).nullish(),
  public: z.boolean().nullish(),
  collaborative: z.boolean().nullish(),
  followers: z.looseObject({ total: z.int().nullish() }).nullish(),
  images,
  items: pageTotal,
  tracks: pageTotal,
})
export type PlaylistRecord = z.infer<typeof PlaylistRecordSchema>

/**
 * A playlist as an account's listing (GET /me/playlists) shows it, as an `account_playlists` row reads it:
 * only `id` is its identity; the OpenAPI description's SimplifiedPlaylistObject marks nothing required,
 * so owner, flags, snapshot and the items total may each be absent (their columns are nullable).
 */
export const AccountPlaylistRecordSchema = z.looseObject({
  id: z.string(),
  owner: z.looseObject({ id: text }).nullish(),
  collaborative: z.boolean().nullish(),
  public: z.boolean().nullish(),
  snapshot_id: text,
  items: pageTotal,
  tracks: pageTotal,
})
export type AccountPlaylistRecord = z.infer<typeof AccountPlaylistRecordSchema>

/**
 * A page of playlist entries as the transformer reads it: `fields=` projections and client re-encodings
 * drop paging keys, so only `items` is required; each entry is checked on its own.
 */
export const PlaylistItemsPageRecordSchema = z.looseObject({
  href: text,
  items: z.array(z.unknown()),
  offset: z.int().nonnegative().nullish(),
  total: int32,
})
export type PlaylistItemsPageRecord = z.infer<typeof PlaylistItemsPageRecordSchema>

/**
 * A play (an item of GET /me/player/recently-played) as a `plays` row reads it. Its identity is the
 * time and the track, so `played_at` (ISO 8601, Spotify sends milliseconds) and `track.id` are
 * required although the OpenAPI description marks nothing required. `context` is null when the track
 * was played outside a playlist, album or artist. The track itself is a `tracks` record of its own.
 */
export const PlayRecordSchema = z.looseObject({
  played_at: z.iso.datetime({ offset: true }),
  track: z.looseObject({ id: z.string() }),
  context: z.looseObject({ type: text, uri: text }).nullish(),
})
export type PlayRecord = z.infer<typeof PlayRecordSchema>

/** A page of GET /me/player/recently-played as the transformer reads it: only `items`; each play is checked on its own. */
export const RecentlyPlayedPageRecordSchema = z.looseObject({
  items: z.array(z.unknown()),
})
export type RecentlyPlayedPageRecord = z.infer<typeof RecentlyPlayedPageRecordSchema>

/**
 * What a `top_tracks` row reads of a ranked track: its id, name and artists. The track is also a `tracks`
 * record of its own, so a field only `tracks` reads (album, duration) costs that row, not the rank.
 */
export const TopTrackRecordSchema = z.looseObject({ id: z.string(), name: text, artists: artistRefs })
export type TopTrackRecord = z.infer<typeof TopTrackRecordSchema>

/**
 * What a `top_artists` or `followed_artists` row reads of an artist: its id and name. The artist is also
 * an `artists` record of its own (genres, followers, images).
 */
export const ListedArtistRecordSchema = z.looseObject({ id: z.string(), name: text })
export type ListedArtistRecord = z.infer<typeof ListedArtistRecordSchema>

/**
 * A page of GET /me/top/tracks or /me/top/artists as the transformer reads it: the items (each a `tracks`
 * or `artists` record of its own) and `offset`, which turns a position on the page into a rank (absent:
 * the request's offset). The paging keys the rows do not read are not required.
 */
export const TopItemsPageRecordSchema = z.looseObject({
  items: z.array(z.unknown()),
  offset: z.int().nonnegative().nullish(),
})
export type TopItemsPageRecord = z.infer<typeof TopItemsPageRecordSchema>

/**
 * A page of GET /me/following?type=artist as the transformer reads it: the cursor-paged list sits under
 * `artists`; each item is an `artists` record of its own.
 */
export const FollowedArtistsPageRecordSchema = z.looseObject({
  artists: z.looseObject({ items: z.array(z.unknown()) }),
})
export type FollowedArtistsPageRecord = z.infer<typeof FollowedArtistsPageRecordSchema>

/**
 * A saved track (an item of GET /me/tracks) as `saved_tracks` reads it: when it was saved and the track's
 * id. The OpenAPI description marks nothing required; these two are the holding's identity. The track
 * itself is a `tracks` record of its own.
 */
export const SavedTrackRecordSchema = z.looseObject({
  added_at: z.iso.datetime({ offset: true }),
  track: z.looseObject({ id: z.string() }),
})
export type SavedTrackRecord = z.infer<typeof SavedTrackRecordSchema>

/** A saved album (an item of GET /me/albums): when it was saved and the album's id; the album is an `albums` record. */
export const SavedAlbumRecordSchema = z.looseObject({
  added_at: z.iso.datetime({ offset: true }),
  album: z.looseObject({ id: z.string() }),
})
export type SavedAlbumRecord = z.infer<typeof SavedAlbumRecordSchema>

/** A saved show (an item of GET /me/shows): when it was saved, the show's id, and what its row keeps. */
export const SavedShowRecordSchema = z.looseObject({
  added_at: z.iso.datetime({ offset: true }),
  show: z.looseObject({ id: z.string(), name: text, publisher: text }),
})
export type SavedShowRecord = z.infer<typeof SavedShowRecordSchema>

/** A saved episode (an item of GET /me/episodes): when it was saved, the episode's id, and what its row keeps. */
export const SavedEpisodeRecordSchema = z.looseObject({
  added_at: z.iso.datetime({ offset: true }),
  episode: z.looseObject({
    id: z.string(),
    name: text,
    duration_ms: int32,
    show: z.looseObject({ id: text }).nullish(),
  }),
})
export type SavedEpisodeRecord = z.infer<typeof SavedEpisodeRecordSchema>

/** A page of a saved-library endpoint as the transformer reads it: only `items`; each item is checked on its own. */
export const SavedPageRecordSchema = z.looseObject({
  items: z.array(z.unknown()),
})
export type SavedPageRecord = z.infer<typeof SavedPageRecordSchema>
