/** @module The daily Cron Trigger: start a run of the configured sources (skipped while one is active). */
import { ExtractConfigSchema, PlanConfigSchema, readConfig } from './config.ts'
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
  const result = await startRun({
    env,
    sources: config.SOURCES,
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
