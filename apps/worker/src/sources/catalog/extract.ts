/** @module The catalog source's extraction: one batch of exact ids of one kind (batch endpoint or single GETs). */
import type { CatalogUnit } from '@spotify-lake/schemas'
import type { ExtractContext, UnitOutcome } from '../types.ts'

/** Records seen are the objects Spotify returned (a null slot is an id it no longer knows). */
export async function extractCatalog(
  unit: CatalogUnit,
  { client, responses }: ExtractContext,
): Promise<UnitOutcome> {
  const fetched =
    unit.type === 'tracks'
      ? await client.getTracks(unit.ids)
      : unit.type === 'albums'
        ? await client.getAlbums(unit.ids)
        : await client.getArtists(unit.ids)
  responses.push(...fetched.raws)
  return {
    kind: 'extracted',
    unit,
    items: fetched.items.filter((item) => item !== null).length,
    // Every id of the batch, null slots too (Spotify no longer knows them): fresh once raw holds them.
    catalogFetched: { kind: unit.type, ids: unit.ids },
  }
}
