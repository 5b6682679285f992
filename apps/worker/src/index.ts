/** @module spotify-lake-worker: wires the HTTP API, the daily cron and the EXTRACT queue consumer; hosts RunCoordinator and TokenBroker. */
import { queue } from './extract/consumer.ts'
import { createApp } from './http/app.ts'
import { scheduled } from './scheduled.ts'

export { RunCoordinator } from '@spotify-lake/run-coordinator'
export { TokenBroker } from '@spotify-lake/token-broker'

const app = createApp()

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<Env, unknown>
