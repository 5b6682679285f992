/** @module One validated Web API call: URL from a path template, token choice, schema check, raw record. */
import type { z } from 'zod'
import type { Token, TokenManager, TokenPreference } from './auth.ts'
import { SpotifyConfigError, SpotifyInvalidResponseError } from './errors.ts'
import type { Decoded, Exchange, Transport } from './transport.ts'
import type { ApiMode, Fetched, Params, SpotifyExchange } from './types.ts'

export interface ApiRequest<S extends z.ZodType> {
  /** Path template under the API base, e.g. `/playlists/{id}/items`. */
  endpoint: string
  /** Values for the `{name}` placeholders of `endpoint`. */
  pathParams?: Params | undefined
  /** Query parameters, in the order they are sent. */
  params?: Params | undefined
  schema: S
  /** Which token to send; default `prefer-user`. */
  token?: TokenPreference | undefined
}

export interface InternalApiRequest<S extends z.ZodType> extends ApiRequest<S> {
  mode: ApiMode
  /** Non-2xx statuses that resolve with `data: null` instead of throwing. */
  accept?: readonly number[] | undefined
}

export interface Api {
  call<S extends z.ZodType>(
    request: InternalApiRequest<S> & { accept?: undefined },
  ): Promise<Fetched<z.output<S>>>
  call<S extends z.ZodType>(request: InternalApiRequest<S>): Promise<Fetched<z.output<S> | null>>
}

export function createApi({
  apiBaseUrl,
  transport,
  tokens,
}: {
  apiBaseUrl: string
  transport: Transport
  tokens: TokenManager
}): Api {
  const base = apiBaseUrl.replace(/\/+$/, '')
  const call = async <S extends z.ZodType>({
    endpoint,
    pathParams = {},
    params = {},
    schema,
    token: preference = 'prefer-user',
    mode,
    accept,
  }: InternalApiRequest<S>): Promise<Fetched<z.output<S> | null>> => {
    const url = buildUrl({ base, endpoint, pathParams, params })
    let token: Token | undefined
    const toRaw = (exchange: Exchange): SpotifyExchange => ({
      url: exchange.url,
      endpoint,
      params: { ...pathParams, ...params },
      status: exchange.status,
      fetchedAt: exchange.fetchedAt,
      mode,
      body: exchange.body,
    })
    const decode = (exchange: Exchange): Decoded<Fetched<z.output<S> | null>> => {
      const raw = toRaw(exchange)
      if (exchange.status < 200 || exchange.status >= 300) return { ok: true, value: { data: null, raw } }
      return validate({ schema, raw, endpoint: `GET ${endpoint}` })
    }
    return transport.send({
      kind: 'api',
      method: 'GET',
      url,
      endpoint: `GET ${endpoint}`,
      headers: async () => {
        token = await tokens.token(preference)
        return { authorization: `Bearer ${token.value}`, accept: 'application/json' }
      },
      accept,
      decode,
      onUnauthorized: async () => {
        if (token) await tokens.invalidate(token)
      },
    })
  }
  return { call: call as Api['call'] }
}

/** Parse and check a 2xx body; malformed JSON is retried (a truncated transfer), a schema miss is not. */
export function validate<S extends z.ZodType>({
  schema,
  raw,
  endpoint,
}: {
  schema: S
  raw: SpotifyExchange
  endpoint: string
}): Decoded<Fetched<z.output<S>>> {
  let json: unknown
  try {
    // A byte order mark stays in the raw body but is not JSON.
    json = JSON.parse(raw.body.replace(/^\uFEFF/, ''))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    const invalid = new SpotifyInvalidResponseError(`${endpoint}: response is not valid JSON (${reason})`, {
      endpoint,
      status: raw.status,
      path: '',
      raw,
    })
    return { ok: false, retry: true, error: invalid }
  }
  const result = schema.safeParse(json)
  if (result.success) return { ok: true, value: { data: result.data, raw } }
  const issue = result.error.issues[0]
  const path = issue?.path.map(String).join('.') ?? ''
  const invalid = new SpotifyInvalidResponseError(
    `${endpoint}: response does not match the schema at \`${path}\`: ${issue?.message ?? 'invalid'}`,
    { endpoint, status: raw.status, path, raw },
  )
  return { ok: false, retry: false, error: invalid }
}

export function buildUrl({
  base,
  endpoint,
  pathParams,
  params,
}: {
  base: string
  endpoint: string
  pathParams: Params
  params: Params
}): string {
  const path = endpoint.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = pathParams[name]
    if (value === undefined || value === '')
      throw new SpotifyConfigError(`${endpoint}: missing path parameter ${name}`)
    return encodeURIComponent(value)
  })
  const query = new URLSearchParams(params).toString()
  return `${base}${path}${query ? `?${query}` : ''}`
}
