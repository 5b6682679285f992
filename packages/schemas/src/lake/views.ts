/**
 * @module The lake's views, declared once: which run's rows count. Each is one SQL statement in the
 * subset DuckDB and Trino (Athena) share, with its columns typed from the table declarations; the CLI
 * creates them in DuckDB (`toDuckDbViewDdl`) and infra in the Glue Data Catalog (`toGlueView`).
 *
 * The rule they carry: for each dt, a table's rows come from the latest run that is complete for that
 * table (`run_tables.complete`). A partial run's rows stay queryable in the tables themselves, but no
 * view lets them replace a complete run's.
 */
import { isListType, type LakeColumnType, type LakeScalarType, scalarOf } from './column-types.ts'
import { type LakeTableShape, PARTITION_KEY, PARTITION_KEY_DESCRIPTION } from './define-table.ts'
import { type GlueColumn, toHiveType } from './glue.ts'
import { albumsTable } from './tables/albums.ts'
import { artistsTable } from './tables/artists.ts'
import { playlistItemsTable } from './tables/playlist-items.ts'
import { playlistsTable } from './tables/playlists.ts'
import { playsTable } from './tables/plays.ts'
import { runTablesTable } from './tables/run-tables.ts'
import {
  savedAlbumsTable,
  savedEpisodesTable,
  savedShowsTable,
  savedTracksTable,
} from './tables/saved-library.ts'
import { tracksTable } from './tables/tracks.ts'

export interface LakeViewColumn {
  name: string
  type: LakeColumnType
  description: string
}

export interface LakeView {
  /** snake_case: a Glue table name and a DuckDB view name. */
  name: string
  description: string
  /** The columns the SQL yields, in order (a test checks them against DuckDB's DESCRIBE). */
  columns: readonly LakeViewColumn[]
  /** One SELECT over the tables and the views declared before it; no trailing semicolon. */
  sql: string
}

const DT: LakeViewColumn = { name: PARTITION_KEY, type: 'string', description: PARTITION_KEY_DESCRIPTION }

/** Columns of `table` (all of them by default), typed and described as the table declares them, then `dt`. */
function columnsOf(table: LakeTableShape, names?: readonly string[]): LakeViewColumn[] {
  const picked = (names ?? table.columns.map((c) => c.name)).map((name) => {
    const column = table.columns.find((c) => c.name === name)
    if (!column) throw new Error(`view column ${name}: table ${table.name} has no such column`)
    return { name, type: column.type, description: column.description }
  })
  return [...picked, DT]
}

/** `"name"` for every column (Trino and DuckDB both quote identifiers with double quotes). */
function selectList(columns: readonly LakeViewColumn[], alias?: string): string {
  return columns.map((c) => `${alias ? `${alias}.` : ''}"${c.name}"`).join(', ')
}

const dailyPlaylistColumns = columnsOf(playlistsTable)
const itemColumns = columnsOf(playlistItemsTable)
const trackColumns = columnsOf(playlistItemsTable, [
  'playlist_id',
  'position',
  'snapshot_id',
  'item_id',
  'item_name',
  'album_id',
  'artist_ids',
  'artist_names',
  '_run_id',
])

export const latestCompleteRunsView: LakeView = {
  name: 'latest_complete_runs',
  description: 'For each data table and dt: the latest run whose rows of that table are complete.',
  columns: [
    { name: 'table_name', type: 'string', description: 'The data table.' },
    DT,
    { name: 'run_id', type: 'string', description: 'The latest run of that dt complete for the table.' },
  ],
  sql: `SELECT table_name, dt, max("_run_id") AS run_id
FROM run_tables
WHERE complete
GROUP BY table_name, dt`,
}

export const dailyPlaylistsView: LakeView = {
  name: 'daily_playlists',
  description:
    'The playlists table as of each dt: the rows of the latest run of that dt that is complete for playlists.',
  columns: dailyPlaylistColumns,
  sql: `SELECT ${selectList(dailyPlaylistColumns, 'p')}
FROM playlists AS p
JOIN latest_complete_runs AS r ON r.table_name = 'playlists' AND r.dt = p.dt AND r.run_id = p."_run_id"`,
}

export const completePlaylistItemsView: LakeView = {
  name: 'complete_playlist_items',
  description:
    'Playlist items written by runs that are complete for playlist_items (every dt, every such run).',
  columns: itemColumns,
  sql: `SELECT ${selectList(itemColumns, 'i')}
FROM playlist_items AS i
JOIN run_tables AS r
  ON r.table_name = 'playlist_items' AND r.complete AND r.dt = i.dt AND r."_run_id" = i."_run_id"`,
}

export const currentPlaylistsView: LakeView = {
  name: 'current_playlists',
  description: "The user's playlists now: daily_playlists of the latest dt that has a complete run.",
  columns: dailyPlaylistColumns,
  sql: `SELECT ${selectList(dailyPlaylistColumns)}
FROM daily_playlists
WHERE dt = (SELECT max(dt) FROM daily_playlists)`,
}

export const currentPlaylistTracksView: LakeView = {
  name: 'current_playlist_tracks',
  description:
    "The track items of each current playlist's current snapshot, from the latest complete run that extracted them (an unchanged playlist keeps its items from an earlier run).",
  columns: trackColumns,
  sql: `SELECT ${selectList(trackColumns)}
FROM (
  SELECT
    ${selectList(trackColumns, 'i')},
    i.item_type,
    dense_rank() OVER (PARTITION BY i.playlist_id ORDER BY i.dt DESC, i."_run_id" DESC) AS run_rank
  FROM complete_playlist_items AS i
  JOIN current_playlists AS c
    ON c.playlist_id = i.playlist_id AND c.snapshot_id IS NOT DISTINCT FROM i.snapshot_id
) AS ranked
WHERE run_rank = 1 AND item_type = 'track'`,
}

const listenColumns = columnsOf(playsTable)

/**
 * The one rule for a listen seen by two sources (docs/architecture.md, "One row per listen"): the same
 * account, the same content (track id, or artist and track name, or show and episode name) and end
 * times within a tolerance: the row of the better source wins, extended_history over account_data over
 * recently_played. The API's `played_at` (ms) and the export's `ts` (s) are both about the play's end:
 * within LISTEN_TOLERANCE_MS; account data's `endTime` is to the minute, so a pair with an account-data
 * row allows a minute more.
 */
export const LISTEN_TOLERANCE_MS = 10_000
export const LISTEN_TOLERANCE_ACCOUNT_DATA_MS = 70_000

/** plays with each row's source rank and copy number (1 = the latest run's copy of a key). */
const rankedPlays = `(
  SELECT
    ${selectList(columnsOf(playsTable), 'p')},
    CASE coalesce(p.source, 'recently_played') WHEN 'extended_history' THEN 3 WHEN 'account_data' THEN 2 ELSE 1 END AS source_rank,
    row_number() OVER (
      PARTITION BY p.account_id, p.played_at, coalesce(p.play_key, 'spotify:track:' || p.track_id), coalesce(p.source, 'recently_played')
      ORDER BY p.dt DESC, p."_run_id" DESC
    ) AS copy
  FROM plays AS p
)`

/** A better row of the same listen than `a`: joined on `same` (equalities), kept within the tolerance. */
function betterRow(alias: string, same: readonly string[]): string {
  return `LEFT JOIN ${rankedPlays} AS ${alias}
  ON ${alias}.account_id = a.account_id
  AND ${same.map((c) => `${alias}."${c}" = a."${c}"`).join(' AND ')}
  AND ${alias}.source_rank > a.source_rank
  AND abs(date_diff('millisecond', a.played_at, ${alias}.played_at)) <= CASE
    WHEN a.source_rank = 2 OR ${alias}.source_rank = 2 THEN ${LISTEN_TOLERANCE_ACCOUNT_DATA_MS}
    ELSE ${LISTEN_TOLERANCE_MS} END`
}

export const listensView: LakeView = {
  name: 'listens',
  description:
    'One row per real listen across polls, runs and imports: plays without copies of a key and without rows another source has better (the same account and content, end times within 10 s, 70 s with account data; extended_history wins over account_data over recently_played).',
  columns: listenColumns,
  sql: `SELECT ${selectList(listenColumns, 'a')}
FROM ${rankedPlays} AS a
${betterRow('by_track', ['track_id'])}
${betterRow('by_names', ['artist_name', 'track_name'])}
${betterRow('by_episode', ['episode_show_name', 'episode_name'])}
WHERE a.copy = 1 AND by_track.account_id IS NULL AND by_names.account_id IS NULL AND by_episode.account_id IS NULL`,
}

/** The saved-library tables the view `saved_library` reads, each with its item kind and id column. */
const savedKinds = [
  { table: savedTracksTable, kind: 'track', id: 'track_id' },
  { table: savedAlbumsTable, kind: 'album', id: 'album_id' },
  { table: savedShowsTable, kind: 'show', id: 'show_id' },
  { table: savedEpisodesTable, kind: 'episode', id: 'episode_id' },
] as const

export const savedLibraryView: LakeView = {
  name: 'saved_library',
  description:
    "Every account's saved library, one row per holding (kind, account, item, added_at) as last seen: held on X when added_at <= X AND (removed_at IS NULL OR removed_at > X).",
  columns: [
    { name: 'kind', type: 'string', description: 'What was saved: track, album, show or episode.' },
    ...columnsOf(savedTracksTable, ['account_id']).slice(0, 1),
    {
      name: 'item_id',
      type: 'string',
      description: 'Spotify id of the saved track, album, show or episode.',
    },
    ...columnsOf(savedTracksTable, ['added_at', 'removed_at']).slice(0, 2),
  ],
  // The latest observation of a holding wins: its removal, or a later listing that found it held after all.
  sql: `SELECT kind, account_id, item_id, added_at, removed_at
FROM (
  SELECT
    kind, account_id, item_id, added_at, removed_at,
    row_number() OVER (PARTITION BY kind, account_id, item_id, added_at ORDER BY "_run_id" DESC) AS seen_rank
  FROM (
${savedKinds
  .map(
    ({ table, kind, id }) =>
      `    SELECT CAST('${kind}' AS varchar) AS kind, account_id, "${id}" AS item_id, added_at, removed_at, "_run_id" FROM ${table.name}`,
  )
  .join('\n    UNION ALL\n')}
  ) AS s
) AS ranked
WHERE seen_rank = 1`,
}

/**
 * The columns of a catalog table that only the entity's full object carries (GET /albums/{id} and the
 * like), never the simplified copy embedded in another response (a playlist item's album, a track's
 * artists). Since the catalog ledger skips the full fetch of an entity the lake holds fresh, a later run
 * may write only the simplified copy: these columns then come from the latest row that carried them.
 */
export const FULL_OBJECT_COLUMNS = {
  albums: ['upc', 'label', 'genres', 'popularity'],
  artists: ['genres', 'popularity', 'followers', 'image_url'],
  tracks: ['isrc', 'popularity'],
} as const satisfies Record<'albums' | 'artists' | 'tracks', readonly string[]>

/**
 * The current row of each entity: its latest row (by dt, then run) for every column, except the
 * full-object columns, which come together from its latest row that has any of them (its latest full
 * fetch), so a simplified copy written later never blanks label, upc, genres or popularity.
 */
function currentView(
  table: LakeTableShape & { name: keyof typeof FULL_OBJECT_COLUMNS },
  key: string,
): LakeView {
  const columns = columnsOf(table)
  const full: readonly string[] = FULL_OBJECT_COLUMNS[table.name]
  const pick = columns.map((c) => `${full.includes(c.name) ? 'f' : 'l'}."${c.name}"`).join(', ')
  const ranked = (where: string) => `(
  SELECT *, row_number() OVER (PARTITION BY "${key}" ORDER BY dt DESC, "_run_id" DESC) AS row_rank
  FROM ${table.name}${where}
)`
  return {
    name: `current_${table.name}`,
    description: `One row per ${key}: the latest row of ${table.name}, with ${full.join(', ')} from its latest row that has them (its latest full fetch; a simplified copy embedded in another response never replaces them).`,
    columns,
    sql: `SELECT ${pick}
FROM ${ranked('')} AS l
LEFT JOIN ${ranked(`
  WHERE ${full.map((c) => `"${c}" IS NOT NULL`).join(' OR ')}`)} AS f
  ON f."${key}" = l."${key}" AND f.row_rank = 1
WHERE l.row_rank = 1`,
  }
}

export const currentAlbumsView = currentView(albumsTable, 'album_id')
export const currentArtistsView = currentView(artistsTable, 'artist_id')
export const currentTracksView = currentView(tracksTable, 'track_id')

/** Every view, each after the views it reads. */
export const lakeViews: readonly LakeView[] = [
  latestCompleteRunsView,
  dailyPlaylistsView,
  completePlaylistItemsView,
  currentPlaylistsView,
  currentPlaylistTracksView,
  listensView,
  savedLibraryView,
  currentAlbumsView,
  currentArtistsView,
  currentTracksView,
]

/** The tables the views read: `run_tables` must be in every catalog that has the views. */
export const VIEW_SOURCE_TABLES = [
  playlistsTable.name,
  playlistItemsTable.name,
  runTablesTable.name,
  playsTable.name,
  albumsTable.name,
  artistsTable.name,
  tracksTable.name,
] as const

export function toDuckDbViewDdl(view: LakeView): string {
  return `CREATE OR REPLACE VIEW "${view.name}" AS\n${view.sql}`
}

const trinoScalarTypes: Record<LakeScalarType, string> = {
  string: 'varchar',
  int32: 'integer',
  int64: 'bigint',
  float64: 'double',
  boolean: 'boolean',
  timestamp: 'timestamp(3)',
}

/** The type as Trino (Athena engine 3) names it in a view definition: varchar, bigint, array(varchar). */
export function toTrinoType(type: LakeColumnType): string {
  const scalar = trinoScalarTypes[scalarOf(type)]
  return isListType(type) ? `array(${scalar})` : scalar
}

/** A Glue table of type VIRTUAL_VIEW, as Athena's own CREATE VIEW stores it. */
export interface GlueView {
  name: string
  description: string
  tableType: 'VIRTUAL_VIEW'
  parameters: Record<string, string>
  /** `/* Presto View: <base64 JSON> *\/`: the SQL, the catalog and database it resolves names in, the columns. */
  viewOriginalText: string
  viewExpandedText: string
  columns: GlueColumn[]
}

/**
 * The Glue table that makes `view` an Athena view in `database`: Athena reads the Presto view
 * definition from `viewOriginalText` (the SQL, and the output columns with Trino types) and the Hive
 * types from the storage columns.
 */
export function toGlueView(view: LakeView, { database }: { database: string }): GlueView {
  const definition = {
    originalSql: view.sql,
    catalog: 'awsdatacatalog',
    schema: database,
    columns: view.columns.map((c) => ({ name: c.name, type: toTrinoType(c.type) })),
  }
  const bytes = new TextEncoder().encode(JSON.stringify(definition))
  const base64 = btoa(String.fromCharCode(...bytes))
  return {
    name: view.name,
    description: view.description,
    tableType: 'VIRTUAL_VIEW',
    parameters: { presto_view: 'true', comment: 'Presto View' },
    viewOriginalText: `/* Presto View: ${base64} */`,
    viewExpandedText: '/* Presto View */',
    columns: view.columns.map((c) => ({ name: c.name, type: toHiveType(c.type), comment: c.description })),
  }
}
