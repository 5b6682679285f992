/** @module Catalog endpoints: tracks/albums/artists by id (batched or single), album tracks, artist albums. */
import {
  type Album,
  AlbumSchema,
  type AlbumTracksPage,
  AlbumTracksPageSchema,
  type Artist,
  type ArtistAlbumsPage,
  ArtistAlbumsPageSchema,
  ArtistSchema,
  type CatalogKind,
  SeveralAlbumsSchema,
  SeveralArtistsSchema,
  SeveralTracksSchema,
  type Track,
  TrackSchema,
} from '@spotify-lake/schemas'
import type { z } from 'zod'
import { SpotifyConfigError } from '../errors.ts'
import { MODE_PROFILES, PAGE_SIZES, REMOVED_STATUSES } from '../mode.ts'
import { offsetPages } from '../paging.ts'
import type { ApiMode, Fetched, FetchedMany, SpotifyExchange } from '../types.ts'
import type { EndpointContext } from './context.ts'

const BATCH = {
  tracks: { single: TrackSchema, several: SeveralTracksSchema },
  albums: { single: AlbumSchema, several: SeveralAlbumsSchema },
  artists: { single: ArtistSchema, several: SeveralArtistsSchema },
} as const

type ItemOf<K extends CatalogKind> = K extends 'tracks' ? Track : K extends 'albums' ? Album : Artist

/**
 * Objects by id, in request order, `null` for ids Spotify does not know. Uses Get Several in
 * chunks of the mode's batch size, else one GET per distinct id. A batch endpoint that answers
 * as removed switches this kind to single GETs for the rest of the client's life.
 */
export async function getMany<K extends CatalogKind>({
  context,
  kind,
  ids,
}: {
  context: EndpointContext
  kind: K
  ids: readonly string[]
}): Promise<FetchedMany<ItemOf<K>>> {
  if (ids.some((id) => typeof id !== 'string' || id === '')) {
    throw new SpotifyConfigError(`${kind}: every id must be a non-empty string`)
  }
  const mode = await context.mode()
  const unique = [...new Set(ids)]
  const found = new Map<string, ItemOf<K> | null>()
  const raws: SpotifyExchange[] = []
  const size = MODE_PROFILES[mode].batchSizes?.[kind]

  const fetchSingles = async (chunk: readonly string[]): Promise<void> => {
    const results = await Promise.all(
      chunk.map((id) =>
        context.api.call({
          endpoint: `/${kind}/{id}`,
          pathParams: { id },
          schema: BATCH[kind].single as unknown as z.ZodType<ItemOf<K>>,
          token: 'prefer-app',
          mode,
          accept: [404],
        }),
      ),
    )
    chunk.forEach((id, index) => {
      const result = results[index] as Fetched<ItemOf<K> | null>
      found.set(id, result.data)
      raws.push(result.raw)
    })
  }

  const fetchChunk = async (chunk: readonly string[]): Promise<void> => {
    if (context.removedBatches.has(kind)) return fetchSingles(chunk)
    const result = await context.api.call({
      endpoint: `/${kind}`,
      params: { ids: chunk.join(',') },
      schema: BATCH[kind].several as unknown as z.ZodType<Record<K, (ItemOf<K> | null)[]>>,
      token: 'prefer-app',
      mode,
      accept: REMOVED_STATUSES,
    })
    raws.push(result.raw)
    if (result.data === null) {
      context.removedBatches.add(kind)
      return fetchSingles(chunk)
    }
    const slots = result.data[kind]
    chunk.forEach((id, index) => {
      found.set(id, slots[index] ?? null)
    })
  }

  if (size === undefined) {
    await fetchSingles(unique)
  } else {
    const chunks: string[][] = []
    for (let start = 0; start < unique.length; start += size) chunks.push(unique.slice(start, start + size))
    // The first chunk alone: if the batch endpoint is gone, the rest go single without a wasted call each.
    const [first, ...rest] = chunks
    if (first) await fetchChunk(first)
    await Promise.all(rest.map(fetchChunk))
  }
  return { items: ids.map((id) => found.get(id) ?? null), raws }
}

export function albumTracks({
  context,
  id,
  market,
}: {
  context: EndpointContext
  id: string
  market?: string | undefined
}): AsyncGenerator<Fetched<AlbumTracksPage>> {
  return offsetPages({
    pageSize: PAGE_SIZES.albumTracks,
    fetchPage: async ({ offset, limit }) =>
      context.api.call({
        endpoint: '/albums/{id}/tracks',
        pathParams: { id },
        params: { limit: String(limit), offset: String(offset), ...(market ? { market } : {}) },
        schema: AlbumTracksPageSchema,
        token: 'prefer-app',
        mode: await context.mode(),
      }),
  })
}

export async function* artistAlbums({
  context,
  id,
  includeGroups,
  market,
}: {
  context: EndpointContext
  id: string
  /** e.g. `['album', 'single']`; Spotify's default (all groups) when absent. */
  includeGroups?: readonly string[] | undefined
  market?: string | undefined
}): AsyncGenerator<Fetched<ArtistAlbumsPage>> {
  const mode: ApiMode = await context.mode()
  yield* offsetPages({
    pageSize: MODE_PROFILES[mode].artistAlbumsPageSize,
    fetchPage: ({ offset, limit }) =>
      context.api.call({
        endpoint: '/artists/{id}/albums',
        pathParams: { id },
        params: {
          ...(includeGroups ? { include_groups: includeGroups.join(',') } : {}),
          ...(market ? { market } : {}),
          limit: String(limit),
          offset: String(offset),
        },
        schema: ArtistAlbumsPageSchema,
        token: 'prefer-app',
        mode,
      }),
  })
}
