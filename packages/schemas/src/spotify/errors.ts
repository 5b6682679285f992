/** @module Spotify's two error bodies: the Web API's `{error:{status,message}}` and the accounts service's. */
import { z } from 'zod'

/** Web API errors (401, 403, 404, 429...). */
export const WebApiErrorSchema = z.looseObject({
  error: z.looseObject({
    status: z.int().min(400).max(599),
    message: z.string(),
    /** Sent by the player endpoints. */
    reason: z.string().optional(),
  }),
})
export type WebApiError = z.infer<typeof WebApiErrorSchema>

/** Accounts service (token endpoint) errors, OAuth style: `{error: "invalid_grant", error_description}`. */
export const AuthErrorSchema = z.looseObject({
  error: z.string(),
  error_description: z.string().optional(),
})
export type AuthError = z.infer<typeof AuthErrorSchema>

export const SpotifyErrorSchema = z.union([WebApiErrorSchema, AuthErrorSchema])
export type SpotifyError = z.infer<typeof SpotifyErrorSchema>

/** One readable line for logs and thrown errors, whichever shape the body had (never contains tokens). */
export function spotifyErrorMessage(error: SpotifyError): string {
  if (typeof error.error === 'string') {
    return error.error_description ? `${error.error}: ${error.error_description}` : error.error
  }
  return `${error.error.status} ${error.error.message}`
}
