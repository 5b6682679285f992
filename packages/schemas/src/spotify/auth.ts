/** @module The accounts service's token response (client credentials, authorization code, refresh). */
import { z } from 'zod'

/**
 * POST https://accounts.spotify.com/api/token. `refresh_token` comes with the authorization-code
 * grant and, sometimes, a refresh (rotation); `scope` is absent for client credentials.
 */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  /** Seconds; 3600 in practice. */
  expires_in: z.int().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
})
export type TokenResponse = z.infer<typeof TokenResponseSchema>
