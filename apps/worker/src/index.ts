/** @module spotify-lake-worker: wires the HTTP API, the daily cron and the EXTRACT queue consumer; hosts RunCoordinator. */
import { queue } from './extract/consumer.ts'
import { createApp } from './http/app.ts'
import { scheduled } from './scheduled.ts'

export { RunCoordinator } from '@spotify-lake/run-coordinator'

const app = createApp()

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env, unknown>
