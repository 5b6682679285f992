import { describe, expect, inject, it } from 'vitest'
import { createLakeStore } from '../../src/index.ts'

describe('lake store inside workerd', () => {
  it('signs with aws4fetch and round-trips objects through a real S3 server', async () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers')
    const store = createLakeStore({ ...inject('s3'), retries: 0 })
    await store.putGzipJson('raw/playlists/dt=2026-11-21/r/x.json.gz', { hello: 'workerd' })
    expect(await store.getGzipJson('raw/playlists/dt=2026-11-21/r/x.json.gz')).toEqual({ hello: 'workerd' })
    expect(await store.listKeys('raw/')).toEqual(['raw/playlists/dt=2026-11-21/r/x.json.gz'])
    await store.delete('raw/playlists/dt=2026-11-21/r/x.json.gz')
    expect(await store.get('raw/playlists/dt=2026-11-21/r/x.json.gz')).toBeNull()
  })
})
