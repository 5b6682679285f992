/** @module The hono environment of the API: bindings plus the validated config of the request. */
import type { HttpConfig, PlanConfig } from '../config.ts'

export interface AppEnv {
  Bindings: Env
  Variables: { http: HttpConfig; plan: PlanConfig }
}
