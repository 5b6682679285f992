/**
 * @module The catalog source: full track, album and artist objects for the ids other sources refer
 * to, each id fetched once per run, in batches. One raw folder per kind.
 */
import { defineSource, padded } from '../define-source.ts'
import {
  AlbumsUnitSchema,
  ArtistsUnitSchema,
  CATALOG_KINDS,
  type CatalogKind,
  type CatalogUnit,
  TracksUnitSchema,
} from './units.ts'

export * from './units.ts'

/** Every table a kind's objects can add rows to: tracks embed albums and artists, albums embed artists. */
const TABLES: Record<CatalogKind, readonly ('tracks' | 'albums' | 'artists')[]> = {
  tracks: ['tracks', 'albums', 'artists'],
  albums: ['albums', 'artists'],
  artists: ['artists'],
}

export const catalogSource = defineSource({
  name: 'catalog',
  unitSchemas: [TracksUnitSchema, AlbumsUnitSchema, ArtistsUnitSchema],
  resources: CATALOG_KINDS.map((kind) => ({
    type: kind,
    folder: kind,
    key: (unit: CatalogUnit) => `${unit.type}:${unit.batch}`,
    rawName: (unit: CatalogUnit) => `${unit.type}-b${padded(unit.batch, 5)}`,
  })),
  folders: CATALOG_KINDS.map((kind) => ({
    name: kind,
    kinds: [`several-${kind}`, kind.slice(0, -1) as 'track' | 'album' | 'artist'] as const,
    tables: TABLES[kind],
    owns: [kind],
    rejectTable: kind,
  })),
  responseKinds: CATALOG_KINDS.flatMap((kind) => [
    { kind: `several-${kind}` as const, endpoint: new RegExp(`^(/v1)?/${kind}/?$`), table: kind },
    {
      kind: kind.slice(0, -1) as 'track' | 'album' | 'artist',
      endpoint: new RegExp(`^(/v1)?/${kind}/[^/]+/?$`),
      table: kind,
    },
  ]),
})
