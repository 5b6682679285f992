/** @module The hono environment of the API: bindings plus the validated config of the request. */
import type { ExtractConfig, HttpConfig, PlanConfig } from '../config.ts'

export interface AppEnv {
  Bindings: Env
  /** `extract` is set on routes that talk to Spotify or the token broker (`loadConfig({ extract: true })`). */
  Variables: { http: HttpConfig; plan: PlanConfig; extract: ExtractConfig }
}
