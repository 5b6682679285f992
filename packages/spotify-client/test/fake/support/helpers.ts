/** @module Test helpers: talk to a running fake Spotify with plain fetch, as a real client would. */

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
export const basic = (id = 'fake-client-id', secret = 'fake-client-secret') =>
  `Basic ${btoa(`${id}:${secret}`)}`

export const postToken = (
  url: string,
  body: Record<string, string>,
  authorization: string | null = basic(),
) =>
  fetch(`${url}/api/token`, {
    method: 'POST',
    headers: { ...FORM, ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(body).toString(),
  })

/** The newest refresh token per fake (its initial one rotates away on first use, as Spotify's PKCE tokens do). */
const latestRefreshToken = new Map<string, string>()

/** A user token (refresh grant, following rotation from the fake's initial refresh token) or an app token. */
export const getToken = async (url: string, kind: 'user' | 'app'): Promise<string> => {
  const refreshToken = latestRefreshToken.get(url) ?? 'fake-refresh-token'
  const res = await postToken(
    url,
    kind === 'user'
      ? { grant_type: 'refresh_token', refresh_token: refreshToken }
      : { grant_type: 'client_credentials' },
  )
  if (res.status !== 200) throw new Error(`token ${kind}: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { access_token: string; refresh_token?: string }
  if (body.refresh_token) latestRefreshToken.set(url, body.refresh_token)
  return body.access_token
}

export const api = (url: string, token: string | null, path: string) =>
  fetch(path.startsWith('http') ? path : `${url}/v1${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  })

export const getJson = async <T = Record<string, unknown>>(
  url: string,
  token: string | null,
  path: string,
) => {
  const res = await api(url, token, path)
  return { status: res.status, headers: res.headers, body: (await res.json()) as T }
}

export interface Page<T = Record<string, unknown>> {
  href: string
  items: T[]
  limit: number
  next: string | null
  offset: number
  previous: string | null
  total: number
}
