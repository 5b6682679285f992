/** @module Renders playlists and their items (tracks, local files, episodes in both shapes) per quota mode. */
import type {
  FakeEpisode,
  FakeLocalFile,
  FakePlaylist,
  FakePlaylistEntry,
  FakeShow,
} from './catalog-types.ts'
import {
  extended,
  type FakeApiMode,
  image,
  type Json,
  MARKETS,
  type RenderContext,
  renderEpisode,
  renderTrack,
  renderUser,
} from './render.ts'

/** Local files: null ids, hrefs and album fields, empty objects, `spotify:local:` uri (as Spotify sends them). */
export const renderLocalTrack = (ctx: RenderContext, local: FakeLocalFile): Json => {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+')
  return {
    album: {
      album_type: null,
      artists: [],
      ...extended(ctx, { available_markets: [] }),
      external_urls: {},
      href: null,
      id: null,
      images: [],
      name: local.album,
      release_date: null,
      release_date_precision: null,
      type: 'album',
      uri: null,
    },
    artists: [{ external_urls: {}, href: null, id: null, name: local.artist, type: 'artist', uri: null }],
    ...extended(ctx, { available_markets: [] }),
    disc_number: 0,
    duration_ms: local.durationMs,
    explicit: false,
    external_ids: {},
    external_urls: {},
    href: null,
    id: null,
    is_local: true,
    name: local.title,
    ...extended(ctx, { popularity: 0 }),
    preview_url: null,
    track_number: 0,
    type: 'track',
    uri: `spotify:local:${enc(local.artist)}:${enc(local.album)}:${enc(local.title)}:${local.durationMs / 1000}`,
  }
}

/** An episode as Spotify sends it to clients that did not ask for episodes (rspotify issue #525). */
export const renderTrackShapedEpisode = (ctx: RenderContext, episode: FakeEpisode): Json => {
  const show = ctx.catalog.showById.get(episode.showId) as FakeShow
  const showLinks = {
    external_urls: { spotify: `https://open.spotify.com/show/${show.id}` },
    href: `${ctx.origin}/v1/shows/${show.id}`,
    id: show.id,
  }
  // Spotify fills the artist slot with the show, a null name and a junk type.
  const pseudoArtist = {
    ...showLinks,
    name: null,
    type: 'REALPODCASTNOTMUSIC123',
    uri: `spotify:show:${show.id}`,
  }
  return {
    preview_url: null,
    ...extended(ctx, { available_markets: MARKETS }),
    explicit: episode.explicit,
    type: 'episode',
    episode: false,
    track: true,
    album: {
      ...extended(ctx, { available_markets: MARKETS }),
      type: 'show',
      album_type: 'compilation',
      href: showLinks.href,
      id: show.id,
      images: [image(show.id, 64)],
      name: show.name,
      release_date: null,
      release_date_precision: null,
      uri: `spotify:show:${show.id}`,
      artists: [pseudoArtist],
      external_urls: { spotify: `https://open.spotify.com/album/${show.id}` },
      total_tracks: 1,
    },
    artists: [pseudoArtist],
    disc_number: 0,
    track_number: 0,
    duration_ms: episode.durationMs,
    external_ids: { spotify: `https://open.spotify.com/episode/${episode.id}` },
    external_urls: { spotify: `https://open.spotify.com/episode/${episode.id}` },
    href: `${ctx.origin}/v1/episodes/${episode.id}`,
    id: episode.id,
    name: episode.name,
    ...extended(ctx, { popularity: 0 }),
    uri: `spotify:episode:${episode.id}`,
    is_local: false,
  }
}

/** Field names of the playlist's items and of each item's content, per mode. */
export const itemNames = (mode: FakeApiMode) =>
  mode === 'development'
    ? ({ list: 'items', content: 'item' } as const)
    : ({ list: 'tracks', content: 'track' } as const)

const renderEntryContent = (ctx: RenderContext, entry: FakePlaylistEntry): Json | null => {
  switch (entry.kind) {
    case 'track': {
      const track = ctx.catalog.trackById.get(entry.trackId)
      return track ? renderTrack(ctx, track) : null
    }
    case 'episode': {
      const episode = ctx.catalog.episodeById.get(entry.episodeId)
      if (!episode) return null
      return ctx.episodesInTrackShape ? renderTrackShapedEpisode(ctx, episode) : renderEpisode(ctx, episode)
    }
    case 'local':
      return renderLocalTrack(ctx, entry.local)
    case 'removed':
      return null
  }
}

export const renderPlaylistItem = (ctx: RenderContext, entry: FakePlaylistEntry): Json => ({
  added_at: entry.addedAt,
  added_by: renderUser(ctx, entry.addedBy),
  is_local: entry.kind === 'local',
  primary_color: null,
  [itemNames(ctx.mode).content]: renderEntryContent(ctx, entry),
  video_thumbnail: { url: null },
})

const playlistHead = (ctx: RenderContext, playlist: FakePlaylist): Json => ({
  collaborative: playlist.collaborative,
  description: playlist.description,
  external_urls: { spotify: `https://open.spotify.com/playlist/${playlist.id}` },
  href: `${ctx.origin}/v1/playlists/${playlist.id}`,
  id: playlist.id,
  images: [{ url: `https://mosaic.scdn.co/640/${playlist.id}`, height: 640, width: 640 }],
  name: playlist.name,
  owner: renderUser(ctx, playlist.ownerId, true),
  primary_color: null,
  public: playlist.public,
  snapshot_id: playlist.snapshotId,
})

/** For /me/playlists: the items are only a reference (href + total). */
export const renderSimplifiedPlaylist = (ctx: RenderContext, playlist: FakePlaylist): Json => {
  const names = itemNames(ctx.mode)
  return {
    ...playlistHead(ctx, playlist),
    [names.list]: {
      href: `${ctx.origin}/v1/playlists/${playlist.id}/${names.list}`,
      total: playlist.entries.length,
    },
    type: 'playlist',
    uri: `spotify:playlist:${playlist.id}`,
  }
}

/** The full playlist; `itemsPage` is the embedded first page, or undefined when the caller may not see items. */
export const renderPlaylist = (
  ctx: RenderContext,
  playlist: FakePlaylist,
  itemsPage: Json | undefined,
): Json => ({
  ...playlistHead(ctx, playlist),
  followers: { href: null, total: playlist.followers },
  ...(itemsPage === undefined ? {} : { [itemNames(ctx.mode).list]: itemsPage }),
  type: 'playlist',
  uri: `spotify:playlist:${playlist.id}`,
})
