/** @module limit/offset validation and Spotify paging objects with absolute next/previous links on the fake's origin. */
import { SpotifyHttpError } from './http-errors.ts'

export interface PageWindow {
  limit: number
  offset: number
}

const parseInteger = (text: string): number | undefined => (/^\d+$/.test(text) ? Number(text) : undefined)

/** Spotify answers 400 for a limit outside 1..max or a negative/non-numeric offset. */
export const parsePageWindow = ({
  query,
  defaultLimit,
  maxLimit,
  maxOffset = Number.MAX_SAFE_INTEGER,
}: {
  query: URLSearchParams
  defaultLimit: number
  maxLimit: number
  maxOffset?: number
}): PageWindow => {
  const limitText = query.get('limit')
  const offsetText = query.get('offset')
  const limit = limitText === null ? defaultLimit : parseInteger(limitText)
  if (limit === undefined || limit < 1 || limit > maxLimit) {
    throw new SpotifyHttpError({ status: 400, message: 'Invalid limit' })
  }
  const offset = offsetText === null ? 0 : parseInteger(offsetText)
  if (offset === undefined || offset > maxOffset) {
    throw new SpotifyHttpError({ status: 400, message: 'Invalid offset' })
  }
  return { limit, offset }
}

const pageUrl = ({
  origin,
  path,
  query,
  offset,
  limit,
}: {
  origin: string
  path: string
  query: URLSearchParams
  offset: number
  limit: number
}): string => {
  // Spotify puts offset and limit first and keeps the caller's other parameters.
  const params = new URLSearchParams({ offset: String(offset), limit: String(limit) })
  for (const [key, value] of query) if (key !== 'offset' && key !== 'limit') params.append(key, value)
  return `${origin}${path}?${params.toString()}`
}

/** Builds the page for [offset, offset + limit) of a list whose size is `total`. */
export const buildPage = <T>({
  origin,
  path,
  query,
  window,
  total,
  render,
}: {
  origin: string
  path: string
  query: URLSearchParams
  window: PageWindow
  total: number
  /** Renders the items of the window (called with the index range so large lists are not rendered whole). */
  render: (start: number, end: number) => T[]
}) => {
  const { offset, limit } = window
  const end = Math.min(total, offset + limit)
  const link = (at: number) => pageUrl({ origin, path, query, offset: at, limit })
  return {
    href: link(offset),
    items: offset < total ? render(offset, end) : [],
    limit,
    next: end < total ? link(end) : null,
    offset,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    total,
  }
}
