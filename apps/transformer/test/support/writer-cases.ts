/**
 * @module Deterministic inputs for hyparquet-writer: the columns the lake writes (strings, ASCII and
 * not, lone surrogates, runs, nulls, lists, int64, timestamps, NaN and -0), in the configurations the
 * patch touches (PLAIN and dictionary pages, one page and many, statistics and page indexes, row groups).
 * `test/hyparquet-writer.test.ts` writes them with the patched writer; `scripts/upstream-writer-hashes.ts`
 * with the unpatched one, whose file hashes are kept in `test/fixtures/hyparquet-writer-upstream.json`.
 */
import type { Encoding } from 'hyparquet'
import type { ColumnSource, SchemaElement } from 'hyparquet-writer'

/** xorshift32: the same numbers on every run and runtime. */
function random(seed: number) {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 0x1_0000_0000
  }
}

const BASE62 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
const WORDS = ['Night', 'Échos', 'Paper', '雨の日', 'Static', 'Ünïcødé', 'River', '🌧️ Rain', 'Golden', 'x']

/** A string a Spotify payload could hold: mostly ASCII, some not, now and then a lone surrogate. */
function name(next: () => number): string {
  const words = 1 + Math.floor(next() * 3)
  let out = ''
  for (let i = 0; i < words; i++) out += `${i ? ' ' : ''}${WORDS[Math.floor(next() * WORDS.length)]}`
  const odd = next()
  if (odd < 0.01)
    out += ' \uD83C' // a lone high surrogate
  else if (odd < 0.02) out += '\uDFE7 tail' // a lone low surrogate
  return `${out} ${Math.floor(next() * 500)}`
}

function id(next: () => number): string {
  let out = ''
  for (let i = 0; i < 22; i++) out += BASE62[Math.floor(next() * 62)]
  return out
}

export interface WriterInput {
  schema: SchemaElement[]
  columnData: ColumnSource[]
}

/** The table: one column of each kind, `rows` long. Strings are JS strings. */
export function writerInput(rows: number, seed = 12): WriterInput {
  const next = random(seed)
  const ids = Array.from({ length: rows }, () => id(next))
  const vocabulary = Array.from({ length: Math.max(4, rows >> 3) }, () => name(next))
  const pick = () => vocabulary[Math.floor(next() * vocabulary.length)]!
  const column = <T>(make: (i: number) => T) => Array.from({ length: rows }, (_, i) => make(i))
  const data: Record<string, unknown[]> = {
    id: ids,
    name: column(() => (next() < 0.1 ? null : next() < 0.5 ? pick() : name(next))),
    run: column(() => 'run-20261121T000000000Z'),
    kind: column((i) => (i % 97 === 0 ? null : ['track', 'episode', 'local'][Math.floor(next() * 3)])),
    tags: column(() => {
      const r = next()
      if (r < 0.1) return null
      if (r < 0.2) return []
      return Array.from({ length: 1 + Math.floor(next() * 3) }, pick)
    }),
    counts: column(() =>
      Array.from({ length: Math.floor(next() * 3) }, () => BigInt(Math.floor(next() * 1e15))),
    ),
    small: column(() => (next() < 0.05 ? null : Math.floor(next() * 40))),
    wide: column((i) => BigInt(i % 5 === 0 ? Number.MAX_SAFE_INTEGER - i : -i * 7_919)),
    // -0 but no 0: a dictionary keeps one zero for both (upstream too; the lake has no float64 column)
    ratio: column((i) => [Number.NaN, -0, 0.25, 0.5, null, 1e300][i % 6] ?? null),
    flag: column((i) => (i % 11 === 0 ? null : next() < 0.5)),
    // runs of one instant, as `_extracted_at` is per response
    fetched: column((i) => BigInt(1_764_000_000_000 + Math.floor(i / 50) * 1_000)),
    added: column(() => (next() < 0.02 ? null : BigInt(Math.floor(next() * 2e12) - 1e11))),
  }
  const utf8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const
  const millis = {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  } as const
  const list = (nameOf: string, element: Omit<SchemaElement, 'name'>): SchemaElement[] => [
    {
      name: nameOf,
      repetition_type: 'OPTIONAL',
      converted_type: 'LIST',
      logical_type: { type: 'LIST' },
      num_children: 1,
    },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', ...element },
  ]
  const schema: SchemaElement[] = [
    { name: 'schema', num_children: Object.keys(data).length },
    { name: 'id', repetition_type: 'REQUIRED', ...utf8 },
    { name: 'name', repetition_type: 'OPTIONAL', ...utf8 },
    { name: 'run', repetition_type: 'REQUIRED', ...utf8 },
    { name: 'kind', repetition_type: 'OPTIONAL', ...utf8 },
    ...list('tags', { repetition_type: 'REQUIRED', ...utf8 }),
    ...list('counts', { repetition_type: 'OPTIONAL', type: 'INT64' }),
    { name: 'small', repetition_type: 'OPTIONAL', type: 'INT32' },
    { name: 'wide', repetition_type: 'REQUIRED', type: 'INT64' },
    { name: 'ratio', repetition_type: 'OPTIONAL', type: 'DOUBLE' },
    { name: 'flag', repetition_type: 'OPTIONAL', type: 'BOOLEAN' },
    { name: 'fetched', repetition_type: 'REQUIRED', ...millis },
    { name: 'added', repetition_type: 'OPTIONAL', ...millis },
  ]
  return { schema, columnData: Object.entries(data).map(([name, values]) => ({ name, data: values })) }
}

/** The string columns (lists too) as UTF-8 bytes, as an older lake mapping handed them over. */
export function asBytes(input: WriterInput): WriterInput {
  const encoder = new TextEncoder()
  const encode = (v: unknown): unknown =>
    typeof v === 'string' ? encoder.encode(v) : Array.isArray(v) ? v.map(encode) : v
  return {
    schema: input.schema,
    columnData: input.columnData.map((c) =>
      ['id', 'name', 'run', 'kind', 'tags'].includes(c.name) ? { ...c, data: Array.from(c.data, encode) } : c,
    ),
  }
}

export interface WriterCase {
  name: string
  rows: number
  codec: 'UNCOMPRESSED' | 'SNAPPY'
  statistics: boolean
  pageSize?: number
  rowGroupSize: number
  /** Column indexes (min/max per page) on every column; offset indexes are on by default. */
  columnIndex?: boolean
  /** Encodings named for the string columns. */
  encoding?: Encoding
}

export const WRITER_CASES: WriterCase[] = [
  { name: 'defaults', rows: 3000, codec: 'UNCOMPRESSED', statistics: true, rowGroupSize: 3000 },
  { name: 'staging-like', rows: 3000, codec: 'UNCOMPRESSED', statistics: false, rowGroupSize: 1000 },
  { name: 'snappy', rows: 3000, codec: 'SNAPPY', statistics: true, rowGroupSize: 2000 },
  {
    name: 'many pages with page indexes',
    rows: 3000,
    codec: 'UNCOMPRESSED',
    statistics: true,
    pageSize: 2048,
    rowGroupSize: 3000,
    columnIndex: true,
  },
  {
    name: 'plain strings',
    rows: 3000,
    codec: 'UNCOMPRESSED',
    statistics: true,
    rowGroupSize: 3000,
    encoding: 'PLAIN',
  },
  {
    name: 'dictionary forced',
    rows: 3000,
    codec: 'UNCOMPRESSED',
    statistics: true,
    pageSize: 4096,
    rowGroupSize: 3000,
    encoding: 'RLE_DICTIONARY',
  },
  // 60,000 distinct ids in one dictionary: 16-bit indexes
  {
    name: 'wide dictionary',
    rows: 60_000,
    codec: 'UNCOMPRESSED',
    statistics: true,
    rowGroupSize: 60_000,
    encoding: 'RLE_DICTIONARY',
  },
]

/** The options `parquetWriteBuffer` takes for a case, over its input. */
export function caseOptions(c: WriterCase, input: WriterInput) {
  const strings = new Set(['id', 'name', 'run', 'kind', 'tags'])
  return {
    schema: input.schema,
    columnData: input.columnData.map((column) => ({
      ...column,
      ...(c.columnIndex ? { columnIndex: true } : {}),
      ...(c.encoding && strings.has(column.name) ? { encoding: c.encoding } : {}),
    })),
    codec: c.codec,
    statistics: c.statistics,
    rowGroupSize: c.rowGroupSize,
    ...(c.pageSize ? { pageSize: c.pageSize } : {}),
    createdBy: 'spotify-lake writer cases',
  }
}
