/** @module GET /accounts and POST /accounts/:id/disconnect: the connected Spotify accounts and their state (operator only). */
import { accountState } from '@spotify-lake/schemas'
import { Hono } from 'hono'
import { brokerFor, reconnectHint } from '../accounts/broker.ts'
import { log } from '../log.ts'
import { jsonError } from './errors.ts'
import type { AppEnv } from './types.ts'

export const accountsRoutes = new Hono<AppEnv>()
  .get('/accounts', async (c) => {
    const config = c.get('extract')
    const broker = brokerFor(c.env, config)
    const reconnect = reconnectHint(config, new URL(c.req.url).origin)
    const records = await broker.registry.listAccounts(broker.app)
    return c.json({
      accounts: records.map((record) => ({
        ...accountState(record, { reconnect }),
        displayName: record.displayName ?? null,
        source: record.source,
        connectedAt: record.connectedAt,
        refreshes: record.refreshes,
        rotations: record.rotations,
        lastRefreshAt: record.lastRefreshAt ?? null,
      })),
      seed: await broker.registry.seedRecord(broker.app),
    })
  })
  .post('/accounts/:accountId/disconnect', async (c) => {
    const broker = brokerFor(c.env, c.get('extract'))
    const accountId = c.req.param('accountId')
    const record = await broker.registry.disconnectAccount(broker.app, accountId)
    if (!record) return jsonError(c, 404, `no account ${accountId}`)
    log.info('accounts.disconnected', { accountId })
    // The lake keeps the account's data: only its tokens are gone.
    return c.json({ accountId, status: record.status, data: 'kept in the lake' })
  })
