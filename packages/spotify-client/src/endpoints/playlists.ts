/** @module Playlist endpoints: the playlist, its snapshot id (cheap change check) and its item pages. */
import {
  type PlaylistProjection,
  PlaylistProjectionSchema,
  type TolerantPlaylist,
  type TolerantPlaylistItemsPage,
  TolerantPlaylistItemsPageSchema,
  TolerantPlaylistSchema,
} from '@spotify-lake/schemas'
import { z } from 'zod'
import { MODE_PROFILES } from '../mode.ts'
import { offsetPages } from '../paging.ts'
import type { Fetched } from '../types.ts'
import type { EndpointContext } from './context.ts'

export interface GetPlaylistOptions {
  /** A `fields=` projection; the result is then a `PlaylistProjection` (every key optional). */
  fields?: string | undefined
  market?: string | undefined
}

export async function getPlaylist({
  context,
  id,
  fields,
  market,
}: GetPlaylistOptions & { context: EndpointContext; id: string }): Promise<
  Fetched<TolerantPlaylist | PlaylistProjection>
> {
  return context.api.call({
    endpoint: '/playlists/{id}',
    pathParams: { id },
    params: {
      ...(fields ? { fields } : {}),
      ...(market ? { market } : {}),
      additional_types: 'track,episode',
    },
    // An item page entry off the schema comes back as null (kept as sent in `raw`), not as an error.
    schema: fields ? PlaylistProjectionSchema : TolerantPlaylistSchema,
    mode: await context.mode(),
  })
}

const SnapshotOnlySchema = z.looseObject({ snapshot_id: z.string().min(1) })

/** `fields=snapshot_id`: a few bytes that tell whether the items changed since the last run. */
export async function getPlaylistSnapshotId({
  context,
  id,
}: {
  context: EndpointContext
  id: string
}): Promise<Fetched<string>> {
  const { data, raw } = await context.api.call({
    endpoint: '/playlists/{id}',
    pathParams: { id },
    params: { fields: 'snapshot_id' },
    schema: SnapshotOnlySchema,
    mode: await context.mode(),
  })
  return { data: data.snapshot_id, raw }
}

export interface PlaylistItemsOptions {
  market?: string | undefined
  /** Projection of each page; pages must still carry `items`, `limit`, `offset`, `total`, `next`. */
  fields?: string | undefined
  /** Resume from an offset (e.g. a retried queue message). */
  startOffset?: number | undefined
}

/**
 * Pages of a playlist's items at the mode's largest page size: `/items` by 50 (development) or the
 * legacy `/tracks` by 100 (extended). Episodes are asked for as episodes (`additional_types`).
 * An entry that fails `PlaylistItemSchema` is null in `data.items` (as sent in `raw`): one odd entry
 * does not stop the paging.
 */
export async function* playlistItems({
  context,
  id,
  market,
  fields,
  startOffset = 0,
}: PlaylistItemsOptions & { context: EndpointContext; id: string }): AsyncGenerator<
  Fetched<TolerantPlaylistItemsPage>
> {
  const mode = await context.mode()
  const profile = MODE_PROFILES[mode]
  yield* offsetPages({
    pageSize: profile.playlistItemsPageSize,
    startOffset,
    fetchPage: ({ offset, limit }) =>
      context.api.call({
        endpoint: profile.playlistItemsEndpoint,
        pathParams: { id },
        params: {
          ...(fields ? { fields } : {}),
          ...(market ? { market } : {}),
          additional_types: 'track,episode',
          limit: String(limit),
          offset: String(offset),
        },
        schema: TolerantPlaylistItemsPageSchema,
        token: 'prefer-user',
        mode,
      }),
  })
}
