/** @module Bench-only Worker: the transformer's steps behind HTTP routes, so a Node harness can time them inside workerd. */
import { lakeStoreFromEnv } from '@spotify-lake/lake-store'
import { LAKE_TABLE_NAMES, type LakeTableName, lakeTable } from '@spotify-lake/schemas'
import type { CompressionCodec } from 'hyparquet'
import { zstd } from '#zstd'
import { writeTableParquet } from '../src/load/parquet.ts'
import { partOfRawKey, stageOutput } from '../src/load/stage.ts'
import type { TransformOutput } from '../src/normalize/collector.ts'
import { transformRaw } from '../src/normalize/transform-raw.ts'
import { finalizeRun } from '../src/run/finalize.ts'
import { parseRawFloor } from './floor.ts'
import { transformToStaged } from './stage-local.ts'

interface BenchEnv {
  S3_ENDPOINT: string
  S3_BUCKET: string
  S3_ACCESS_KEY_ID: string
  S3_SECRET_ACCESS_KEY: string
}

/** The raw object the floor and transform routes read (loaded once, so no request body is timed). */
let raw: Uint8Array | null = null
/** Rows kept between requests, so the write route times Parquet encoding alone. */
let cached: TransformOutput | null = null

const json = (value: unknown) => Response.json(value)

function store(env: BenchEnv) {
  return lakeStoreFromEnv(env, { who: 'bench' })
}

export default {
  async fetch(request: Request, env: BenchEnv): Promise<Response> {
    const url = new URL(request.url)
    const params = url.searchParams
    switch (url.pathname) {
      case '/load':
        raw = new Uint8Array(await request.arrayBuffer())
        return json({ bytes: raw.length })
      // The floor: gunzip, decode, JSON.parse of the envelope and every body.
      case '/floor':
        return json({ bodies: await parseRawFloor(raw!) })
      // The whole transform of the message, gunzip to staged Parquet and rejects (no S3).
      // `codec` (+ `level` for ZSTD) and `encodings=writer` stage differently, for the bench's comparison.
      case '/transform': {
        const codec = params.get('codec') as CompressionCodec | null
        const level = Number(params.get('level') ?? 3)
        return json(
          await transformToStaged(raw!, 'bench.json.gz', {
            ...(codec ? { codec, compressors: { ZSTD: (input) => zstd.compress(input, level) } } : {}),
            ...(params.get('encodings') === 'writer' ? { encodings: {} } : {}),
          }),
        )
      }
      // The queue path of one message: GET raw from S3, transform, stage every table to S3.
      case '/stage': {
        const rawKey = params.get('rawKey')!
        const lake = store(env)
        const bytes = (await lake.get(rawKey))!
        const [, source, dtPart, runId] = rawKey.split('/')
        const dt = dtPart!.slice(3)
        const { output } = await transformRaw({
          bytes,
          name: rawKey,
          expect: { runId: runId!, dt, source: source as 'playlists' },
        })
        // `codec=ZSTD` stages as before this was uncompressed (the bench compacts both).
        const codec = params.get('codec') as CompressionCodec | null
        return json(
          await stageOutput({
            store: lake,
            output,
            dt,
            runId: runId!,
            part: partOfRawKey(rawKey),
            ...(codec ? { codec } : {}),
          }),
        )
      }
      case '/compact': {
        const result = await finalizeRun({
          store: store(env),
          dt: params.get('dt')!,
          runId: params.get('runId')!,
        })
        return json({ tables: result.tables, reconciliation: result.reconciliation })
      }
      // Transform only (gunzip, JSON, validation, rows): keeps the rows for /write.
      case '/normalise': {
        cached = (await transformRaw({ bytes: raw!, name: 'bench.json.gz', runId: 'bench' })).output
        const rows = LAKE_TABLE_NAMES.reduce((n, t) => n + cached![t].rows.length, 0)
        return json({ rows, bytes: 0 })
      }
      // Parquet encoding of the cached rows of one table with one codec (`level` for ZSTD).
      // `times` writes in one request, so the request's own round trip is shared by them.
      case '/write': {
        const table = params.get('table') as LakeTableName
        const codec = (params.get('codec') ?? 'SNAPPY') as CompressionCodec
        const level = Number(params.get('level') ?? 3)
        const times = Number(params.get('times') ?? 1)
        const rows = cached![table].rows
        try {
          let bytes: Uint8Array = new Uint8Array()
          for (let i = 0; i < times; i++) {
            bytes = writeTableParquet({
              table: lakeTable(table),
              rows,
              codec,
              compressors: { ZSTD: (input) => zstd.compress(input, level) },
            })
          }
          return json({ rows: rows.length, bytes: bytes.length })
        } catch (error) {
          // Recorded, not hidden: a codec that fails in workerd is a finding of the bench.
          return json({ rows: rows.length, bytes: 0, error: (error as Error).message })
        }
      }
    }
    return new Response('not found', { status: 404 })
  },
} satisfies ExportedHandler<BenchEnv>
