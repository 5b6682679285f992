/** @module The CLI's side of POST /refresh: what it says when a run is active or cannot start, in its own words. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { parseSources, RunBusyError, triggerRun } from '../src/local/run-local.ts'

let server: Server | undefined
afterEach(() => server?.close())

/** A worker stand-in that answers POST /refresh with `status` and `body`; `bodies` gets each request's. */
async function answering(status: number, body: unknown, bodies: unknown[] = []): Promise<string> {
  server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk) => {
      text += chunk
    })
    req.on('end', () => {
      bodies.push(JSON.parse(text))
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('triggerRun', () => {
  it('turns a 409 into the CLI flag: --force, not the API body field', async () => {
    const workerUrl = await answering(409, {
      error: 'a run is already active',
      active_run_id: '20261121T010203456Z-abc123',
      since: '2026-11-21T01:02:03.456Z',
      last_activity_at: '2026-11-21T01:05:00.000Z',
      hint: 'send {"force": true} to start another anyway',
    })
    const error = await triggerRun({ workerUrl, apiToken: 't' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RunBusyError)
    expect(error).toMatchObject({
      activeRunId: '20261121T010203456Z-abc123',
      lastActivityAt: '2026-11-21T01:05:00.000Z',
    })
    expect((error as Error).message).toMatch(
      /run 20261121T010203456Z-abc123.*last activity 2026-11-21T01:05:00.000Z.*pass --force/,
    )
    expect((error as Error).message).not.toContain('"force"')
  })

  it('says why a run could not start and what to do', async () => {
    const workerUrl = await answering(500, {
      error: 'the run could not start (s3_access_denied)',
      run_id: '20261121T010203456Z-abc123',
      status: 'failed',
      reason: 's3_access_denied',
      message: 'the run could not start: S3Error: 403 SignatureDoesNotMatch',
      action: 'check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY',
    })
    await expect(triggerRun({ workerUrl, apiToken: 't' })).rejects.toThrow(
      /could not start \(s3_access_denied\).*SignatureDoesNotMatch\nWhat to do: check S3_ACCESS_KEY_ID/,
    )
  })
})

describe('--sources', () => {
  it('selects sources by name in the body POST /refresh reads (a plays poll: recentlyPlayed alone)', async () => {
    const bodies: unknown[] = []
    const workerUrl = await answering(202, { run_id: '20261121T010203456Z-abc123' }, bodies)
    await triggerRun({ workerUrl, apiToken: 't', sources: parseSources('recently_played') })
    await triggerRun({
      workerUrl,
      apiToken: 't',
      sources: parseSources('playlists, top_items,followed_artists'),
    })
    await triggerRun({ workerUrl, apiToken: 't' })
    expect(bodies).toEqual([
      { force: false, recentlyPlayed: true },
      { force: false, myPlaylists: true, topItems: true, followedArtists: true },
      { force: false },
    ])
  })

  it('names the valid sources when one is unknown; catalog is no choice', () => {
    expect(() => parseSources('plays')).toThrow(
      /unknown source "plays"; sources: playlists, recently_played, top_items, followed_artists/,
    )
    expect(() => parseSources('catalog')).toThrow(/unknown source "catalog"/)
    expect(() => parseSources(',')).toThrow(/at least one/)
  })
})
