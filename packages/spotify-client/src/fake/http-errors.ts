/** @module Error bodies exactly as Spotify shapes them: `{ error: { status, message } }` for the API, OAuth style for accounts. */

/** Raised by route helpers; the app turns it into a Spotify error response. */
export class SpotifyHttpError extends Error {
  readonly status: number
  readonly headers: Record<string, string>
  constructor({
    status,
    message,
    headers = {},
  }: { status: number; message: string; headers?: Record<string, string> }) {
    super(message)
    this.status = status
    this.headers = headers
  }
}

export const apiErrorResponse = ({
  status,
  message,
  reason,
  headers = {},
}: {
  status: number
  message: string
  /** e.g. `QUOTA_EXCEEDED` on a quota 429 (the player endpoints send reasons too). */
  reason?: string | undefined
  headers?: Record<string, string>
}): Response =>
  new Response(JSON.stringify({ error: { status, message, ...(reason ? { reason } : {}) } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })

/** accounts.spotify.com answers OAuth errors as `{ error, error_description }`. */
export const oauthErrorResponse = ({
  status = 400,
  error,
  description,
}: {
  status?: number
  error: string
  description: string
}): Response =>
  new Response(JSON.stringify({ error, error_description: description }), {
    status,
    headers: { 'content-type': 'application/json' },
  })
