/**
 * @module The Cron Triggers: the daily one starts a run of the configured sources but the plays; the
 * `RECENTLY_PLAYED_CRON` one (hourly) a run of the plays alone. Either is skipped while a run is active.
 */
import {
  dailySources,
  ExtractConfigSchema,
  PlanConfigSchema,
  readConfig,
  recentlyPlayedSources,
} from './config.ts'
import { log } from './log.ts'
import { startRun } from './run/start-run.ts'

export async function scheduled(
  controller: ScheduledController,
  env: Env,
  _ctx?: ExecutionContext,
): Promise<void> {
  let config: ReturnType<typeof readConfig<typeof PlanConfigSchema>>
  try {
    config = readConfig(PlanConfigSchema, env)
    // The consumers' config too: a run they cannot do is not started.
    readConfig(ExtractConfigSchema, env)
  } catch (error) {
    log.error('config.invalid', {
      handler: 'scheduled',
      error: error instanceof Error ? error.message : String(error),
    })
    throw error
  }
  const polling = controller.cron === config.RECENTLY_PLAYED_CRON
  const sources = polling ? recentlyPlayedSources(config.SOURCES) : dailySources(config.SOURCES)
  if (polling && !sources.recentlyPlayed) {
    log.info('run.skipped', { reason: 'SOURCES.recentlyPlayed is off', cron: controller.cron })
    return
  }
  const result = await startRun({
    env,
    sources,
    trigger: 'cron',
    now: new Date(controller.scheduledTime),
    stallTimeoutMs: config.RUN_STALL_TIMEOUT_SECONDS * 1000,
  })
  if (result.started) {
    log.info('run.started', {
      runId: result.runId,
      trigger: 'cron',
      cron: controller.cron,
      units: result.units.length,
    })
  } else if (result.busy) {
    log.warn('run.skipped', { reason: 'active run', activeRunId: result.activeRunId, since: result.since })
  } else if ('noAccount' in result) {
    log.warn('run.skipped', { reason: 'no account', error: result.message })
  }
  // A run that could not start is closed with its reason in the manifest; start-run logged it.
}
