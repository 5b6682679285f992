/** @module Renders catalog entities as Spotify Web API JSON, with the field set of the app's quota mode. */
import type { FakeAlbum, FakeArtist, FakeCatalog, FakeEpisode, FakeShow, FakeTrack } from './catalog-types.ts'

/** development: the 2026 development-mode API; extended: an extended-quota app (old names, all fields). */
export type FakeApiMode = 'development' | 'extended'

export interface RenderContext {
  catalog: FakeCatalog
  mode: FakeApiMode
  /** Origin of the fake (e.g. http://127.0.0.1:4321): every href and next/previous link points back to it. */
  origin: string
  /**
   * Playlist items only: without `additional_types=episode` Spotify sends podcast episodes in track shape
   * (`type: "episode"`, `track: true`, the show as `album`), so the fake does too.
   */
  episodesInTrackShape?: boolean
}

export type Json = Record<string, unknown>

export const MARKETS = ['CA', 'DE', 'GB', 'JP', 'SE', 'US']

export const image = (id: string, size: number): Json => ({
  url: `https://i.scdn.co/image/ab67616d0000${size}${id}`,
  height: size,
  width: size,
})

export const links = (ctx: RenderContext, kind: string, id: string): Json => ({
  external_urls: { spotify: `https://open.spotify.com/${kind}/${id}` },
  href: `${ctx.origin}/v1/${kind}s/${id}`,
  id,
})

/** Fields Spotify removed for development-mode apps in 2026 are only spread in extended mode. */
export const extended = (ctx: RenderContext, fields: Json): Json => (ctx.mode === 'extended' ? fields : {})

export const renderUser = (ctx: RenderContext, userId: string, withName = false): Json => {
  const user = ctx.catalog.userById.get(userId)
  return {
    ...(withName ? { display_name: user?.displayName ?? null } : {}),
    external_urls: { spotify: `https://open.spotify.com/user/${userId}` },
    href: `${ctx.origin}/v1/users/${userId}`,
    id: userId,
    type: 'user',
    uri: `spotify:user:${userId}`,
  }
}

export const renderSimplifiedArtist = (ctx: RenderContext, id: string): Json => ({
  ...links(ctx, 'artist', id),
  name: ctx.catalog.artistById.get(id)?.name ?? '',
  type: 'artist',
  uri: `spotify:artist:${id}`,
})

export const renderArtist = (ctx: RenderContext, artist: FakeArtist): Json => ({
  external_urls: { spotify: `https://open.spotify.com/artist/${artist.id}` },
  ...extended(ctx, { followers: { href: null, total: artist.followers } }),
  // A development-mode artist comes without genres (rspotify#564; the quirk artist--development-mode-no-genres).
  ...extended(ctx, { genres: artist.genres }),
  href: `${ctx.origin}/v1/artists/${artist.id}`,
  id: artist.id,
  images: [image(artist.id, 640), image(artist.id, 320)],
  name: artist.name,
  ...extended(ctx, { popularity: artist.popularity }),
  type: 'artist',
  uri: `spotify:artist:${artist.id}`,
})

export const renderSimplifiedAlbum = (ctx: RenderContext, album: FakeAlbum, group?: string): Json => ({
  album_type: album.albumType,
  total_tracks: album.trackIds.length,
  ...extended(ctx, { available_markets: MARKETS }),
  ...links(ctx, 'album', album.id),
  images: [image(album.id, 640), image(album.id, 300)],
  name: album.name,
  release_date: album.releaseDate,
  release_date_precision: album.releaseDatePrecision,
  type: 'album',
  uri: `spotify:album:${album.id}`,
  artists: album.artistIds.map((id) => renderSimplifiedArtist(ctx, id)),
  ...(group === undefined ? {} : extended(ctx, { album_group: group })),
})

const linkedFrom = (ctx: RenderContext, track: FakeTrack): Json =>
  track.relinked
    ? extended(ctx, {
        linked_from: {
          external_urls: { spotify: `https://open.spotify.com/track/${track.id}` },
          href: `${ctx.origin}/v1/tracks/${track.id}`,
          id: track.id,
          type: 'track',
          uri: `spotify:track:${track.id}`,
        },
      })
    : {}

export const renderSimplifiedTrack = (ctx: RenderContext, track: FakeTrack): Json => ({
  artists: track.artistIds.map((id) => renderSimplifiedArtist(ctx, id)),
  ...extended(ctx, { available_markets: MARKETS }),
  disc_number: track.discNumber,
  duration_ms: track.durationMs,
  explicit: track.explicit,
  ...links(ctx, 'track', track.id),
  is_local: false,
  ...linkedFrom(ctx, track),
  name: track.name,
  preview_url: null,
  track_number: track.trackNumber,
  type: 'track',
  uri: `spotify:track:${track.id}`,
})

export const renderTrack = (ctx: RenderContext, track: FakeTrack): Json => {
  const album = ctx.catalog.albumById.get(track.albumId) as FakeAlbum
  return {
    album: renderSimplifiedAlbum(ctx, album),
    artists: track.artistIds.map((id) => renderSimplifiedArtist(ctx, id)),
    ...extended(ctx, { available_markets: MARKETS }),
    disc_number: track.discNumber,
    duration_ms: track.durationMs,
    explicit: track.explicit,
    external_ids: { isrc: track.isrc },
    ...links(ctx, 'track', track.id),
    is_local: false,
    ...linkedFrom(ctx, track),
    name: track.name,
    ...extended(ctx, { popularity: track.popularity }),
    preview_url: null,
    track_number: track.trackNumber,
    type: 'track',
    uri: `spotify:track:${track.id}`,
  }
}

export const renderSimplifiedShow = (ctx: RenderContext, show: FakeShow): Json => ({
  available_markets: MARKETS,
  copyrights: [],
  description: `All about ${show.name}`,
  html_description: `<p>All about ${show.name}</p>`,
  explicit: false,
  ...links(ctx, 'show', show.id),
  images: [image(show.id, 640)],
  is_externally_hosted: false,
  languages: ['en'],
  media_type: 'audio',
  name: show.name,
  publisher: show.publisher,
  type: 'show',
  uri: `spotify:show:${show.id}`,
  total_episodes: show.episodeIds.length,
})

export const renderEpisode = (ctx: RenderContext, episode: FakeEpisode): Json => {
  const show = ctx.catalog.showById.get(episode.showId) as FakeShow
  return {
    audio_preview_url: null,
    description: `${episode.name} notes`,
    html_description: `<p>${episode.name} notes</p>`,
    duration_ms: episode.durationMs,
    explicit: episode.explicit,
    ...links(ctx, 'episode', episode.id),
    images: [image(episode.id, 640)],
    is_externally_hosted: false,
    is_playable: true,
    language: 'en',
    languages: ['en'],
    name: episode.name,
    release_date: episode.releaseDate,
    release_date_precision: episode.releaseDatePrecision,
    type: 'episode',
    uri: `spotify:episode:${episode.id}`,
    show: renderSimplifiedShow(ctx, show),
  }
}

export const renderAlbum = (ctx: RenderContext, album: FakeAlbum, tracksPage: Json): Json => ({
  ...renderSimplifiedAlbum(ctx, album),
  tracks: tracksPage,
  copyrights: [{ text: `(C) ${album.releaseDate.slice(0, 4)} ${album.label}`, type: 'C' }],
  external_ids: { upc: album.upc },
  genres: [],
  ...extended(ctx, { label: album.label, popularity: album.popularity }),
})
