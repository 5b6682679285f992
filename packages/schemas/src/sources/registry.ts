/**
 * @module The registry of sources: the list the worker (planning, extraction), the transformer (response
 * kinds, tables, completeness), the CLI and the tests iterate, as they iterate `lakeTables` for tables.
 * A new source is its folder here plus one line in `lakeSources`.
 */
import { z } from 'zod'
import type { LakeTableName } from '../lake/registry.ts'
import { AlbumsUnitSchema, ArtistsUnitSchema, catalogSource, TracksUnitSchema } from './catalog/index.ts'
import type { RawFolderDefinition, ResourceDefinition, ResponseKindDefinition } from './define-source.ts'
import { FollowedArtistsUnitSchema, followedArtistsSource } from './followed-artists/index.ts'
import { MyPlaylistsUnitSchema, PlaylistUnitSchema, playlistsSource } from './playlists/index.ts'
import { RecentlyPlayedUnitSchema, recentlyPlayedSource } from './recently-played/index.ts'
import {
  SavedAlbumsUnitSchema,
  SavedEpisodesUnitSchema,
  SavedShowsUnitSchema,
  SavedTracksUnitSchema,
  savedAlbumsSource,
  savedEpisodesSource,
  savedShowsSource,
  savedTracksSource,
} from './saved-library/index.ts'
import { TopItemsUnitSchema, topItemsSource } from './top-items/index.ts'

/** Every source, in planning order. */
export const lakeSources = [
  playlistsSource,
  catalogSource,
  recentlyPlayedSource,
  topItemsSource,
  followedArtistsSource,
  savedTracksSource,
  savedAlbumsSource,
  savedShowsSource,
  savedEpisodesSource,
] as const

export type AnyLakeSource = (typeof lakeSources)[number]
export type SourceName = AnyLakeSource['name']

/** One unit of extraction work: a unit of one of the sources' resources, told apart by `type`. */
export const ExtractUnitSchema = z.discriminatedUnion('type', [
  MyPlaylistsUnitSchema,
  PlaylistUnitSchema,
  TracksUnitSchema,
  AlbumsUnitSchema,
  ArtistsUnitSchema,
  RecentlyPlayedUnitSchema,
  TopItemsUnitSchema,
  FollowedArtistsUnitSchema,
  SavedTracksUnitSchema,
  SavedAlbumsUnitSchema,
  SavedShowsUnitSchema,
  SavedEpisodesUnitSchema,
])
export type ExtractUnit = z.infer<typeof ExtractUnitSchema>
export type ResourceType = ExtractUnit['type']

/** Raw folders: where each resource's raw objects go. */
export type RawFolder = AnyLakeSource['folders'][number]['name']
export const RAW_FOLDERS = lakeSources.flatMap((s) => s.folders.map((f) => f.name)) as [
  RawFolder,
  ...RawFolder[],
]

/** Response kinds the raw zone may hold, in the order the endpoint patterns are tried. */
export type ResponseKind = AnyLakeSource['responseKinds'][number]['kind']
const responseKinds: readonly ResponseKindDefinition<ResponseKind>[] = lakeSources.flatMap(
  (s) => s.responseKinds as readonly ResponseKindDefinition<ResponseKind>[],
)
export const RESPONSE_KINDS: readonly ResponseKind[] = [...new Set(responseKinds.map((k) => k.kind))]

const resources = new Map<string, ResourceDefinition>(
  lakeSources.flatMap((s) => s.resources.map((r) => [r.type, r] as const)),
)
const folders = new Map<string, RawFolderDefinition<RawFolder, ResponseKind>>(
  lakeSources.flatMap((s) =>
    s.folders.map((f) => [f.name, f as RawFolderDefinition<RawFolder, ResponseKind>] as const),
  ),
)

function resourceOf(type: string): ResourceDefinition {
  const resource = resources.get(type)
  if (!resource)
    throw new Error(`unknown unit type ${JSON.stringify(type)}; known: ${[...resources.keys()].join(', ')}`)
  return resource
}

function folderOf(name: RawFolder): RawFolderDefinition<RawFolder, ResponseKind> {
  const folder = folders.get(name)
  if (!folder) throw new Error(`unknown raw folder ${JSON.stringify(name)}`)
  return folder
}

/** The source a unit belongs to. */
export function sourceOfUnit(unit: Pick<ExtractUnit, 'type'>): SourceName {
  const source = lakeSources.find((s) => s.resources.some((r) => r.type === unit.type))
  if (!source) throw new Error(`unknown unit type ${JSON.stringify(unit.type)}`)
  return source.name
}

/** Manifest key of a unit: `<type>:...` (`my-playlists:<account>`, `playlist:<id>:<part>`, `albums:<batch>`). */
export function unitKey(unit: ExtractUnit): string {
  return resourceOf(unit.type).key(unit)
}

/** The unit type of a manifest key (the inverse of `unitKey`'s prefix), or null for a key no resource makes. */
export function unitTypeOfKey(key: string): ResourceType | null {
  const type = key.split(':')[0] ?? ''
  return resources.has(type) ? (type as ResourceType) : null
}

/** Raw folder of a unit. */
export function unitFolder(unit: Pick<ExtractUnit, 'type'>): RawFolder {
  return resourceOf(unit.type).folder as RawFolder
}

/** File name (without `.json.gz`) of a unit's raw object: deterministic, so a retry overwrites. */
export function unitRawName(unit: ExtractUnit): string {
  return resourceOf(unit.type).rawName(unit)
}

/** The response kinds a raw folder may hold; anything else in its objects is `unexpected_payload`. */
export function kindsOfFolder(folder: RawFolder): readonly ResponseKind[] {
  return folderOf(folder).kinds
}

/** Every table a raw folder's objects can add rows to. */
export function tablesOfFolder(folder: RawFolder): readonly LakeTableName[] {
  return folderOf(folder).tables
}

/** The table an object-level reject of a raw folder is filed under. */
export function rejectTableOfFolder(folder: RawFolder): LakeTableName {
  return folderOf(folder).rejectTable
}

/** Every table a unit (by its manifest key) can add rows to; all data tables for a key no resource makes. */
export function tablesOfUnitKey(key: string): readonly LakeTableName[] | null {
  const type = unitTypeOfKey(key)
  return type === null ? null : tablesOfFolder(unitFolder({ type }))
}

/** The raw folder whose objects describe a table's entities in full (see `owns`), or null. */
export function folderOwning(table: LakeTableName): RawFolder | null {
  for (const folder of folders.values()) if (folder.owns.includes(table)) return folder.name
  return null
}

/** The table a whole-response reject of this kind is filed under. */
export function rejectTableOfKind(kind: ResponseKind): LakeTableName {
  const found = responseKinds.find((k) => k.kind === kind)
  if (!found) throw new Error(`unknown response kind ${JSON.stringify(kind)}`)
  return found.table
}

/** The kind from the recorded endpoint (template or concrete path) and query, or null for an unknown endpoint. */
export function kindOfEndpoint(endpoint: string, params: Record<string, string> = {}): ResponseKind | null {
  const path = endpoint.split('?')[0] ?? ''
  for (const { kind, endpoint: pattern, params: when } of responseKinds) {
    if (pattern.test(path) && (!when || when(params))) return kind
  }
  return null
}
