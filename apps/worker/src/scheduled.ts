/** @module The daily Cron Trigger: start a run of the configured sources (skipped while one is active). */
import { PlanConfigSchema, readConfig } from './config.ts'
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
  })
  if (result.started) {
    log.info('run.started', {
      runId: result.runId,
      trigger: 'cron',
      cron: controller.cron,
      units: result.units.length,
    })
  } else {
    log.warn('run.skipped', { reason: 'active run', activeRunId: result.activeRunId, since: result.since })
  }
}
