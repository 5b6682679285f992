/** @module `lake query` with no S3 configured reads the lake that `lake up` left in .lake/s3. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLakeStore } from '@spotify-lake/lake-store'
import { startS3rver } from '@spotify-lake/lake-store/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { runLake } from '../src/cli.ts'
import { createQueryCommand } from '../src/commands/query.ts'
import { captureIo } from './support/capture.ts'
import { fixtureFiles, writeFixture } from './support/query-lake.ts'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe('lake query over the local lake', () => {
  it('serves .lake/s3 for the sync when no LAKE_S3_* variable is set, incrementally', async () => {
    const lakeDir = await mkdtemp(join(tmpdir(), 'lake-local-'))
    const cache = await mkdtemp(join(tmpdir(), 'lake-cache-'))
    dirs.push(lakeDir, cache)
    // What a finished `lake up` leaves behind: the S3 server's folder, with the server stopped.
    const s3 = await startS3rver({ directory: lakeDir, bucket: 'spotify-lake' })
    const files = fixtureFiles()
    await writeFixture(createLakeStore({ ...s3, retries: 0 }), files)
    await s3.close()

    const command = createQueryCommand({ env: {}, localLakeDir: lakeDir, defaultCacheDir: cache })
    const query = async () => {
      const io = captureIo()
      const code = await runLake({
        argv: ['query', 'SELECT count(DISTINCT _run_id) AS runs FROM playlists', '--format', 'json'],
        io,
        commands: [command],
      })
      return { code, out: io.out(), err: io.err() }
    }
    const first = await query()
    expect(first.code).toBe(0)
    const runs = new Set(files.filter((f) => f.table.name === 'playlists').map((f) => f.run.runId))
    expect(JSON.parse(first.out)).toEqual([{ runs: runs.size }])
    expect(first.err).toContain(`synced local:${lakeDir}`)
    expect(first.err).toMatch(/[1-9]\d* downloaded/)
    const second = await query()
    expect(second.code).toBe(0)
    expect(second.err).toMatch(/ 0 downloaded .*, [1-9]\d* unchanged/)
  })

  it('still asks for the S3 variables when there is no local lake either', async () => {
    const io = captureIo()
    const command = createQueryCommand({ env: {}, localLakeDir: '/nonexistent/lake' })
    const code = await runLake({ argv: ['query', 'SELECT 1'], io, commands: [command] })
    expect(code).toBe(2)
    expect(io.err()).toContain('set LAKE_S3_ENDPOINT')
  })
})
