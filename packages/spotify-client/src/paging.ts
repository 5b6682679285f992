/** @module Page iterators: offset paging (limit/offset) and cursor paging (the `next` link's cursor). */
import type { Fetched, Params } from './types.ts'

export interface OffsetPagesOptions<Page> {
  /** Fetch the page at `offset` with `limit` items. */
  fetchPage: (params: { offset: number; limit: number }) => Promise<Fetched<Page>>
  pageSize: number
  startOffset?: number
}

/** The part of an offset page the iterator reads (projections may omit the rest). */
export interface OffsetPageShape {
  items: unknown[]
  next?: string | null | undefined
  total: number
}

/** The part of a cursor page the iterator reads. */
export interface CursorPageShape {
  items: unknown[]
  next: string | null
}

/**
 * Pages until Spotify says there is no `next` (or runs out of items or past `total`), so a list of
 * `n` items costs exactly `max(1, ceil(n / pageSize))` requests. Offsets are computed rather than
 * taken from `next`, so every request's params are known and the API base can be anything.
 */
export async function* offsetPages<Page extends OffsetPageShape>({
  fetchPage,
  pageSize,
  startOffset = 0,
}: OffsetPagesOptions<Page>): AsyncGenerator<Fetched<Page>> {
  let offset = startOffset
  for (;;) {
    const page = await fetchPage({ offset, limit: pageSize })
    yield page
    const { items, next, total } = page.data
    offset += items.length
    if (!next || items.length === 0 || offset >= total) return
  }
}

export interface CursorPagesOptions<Page> {
  fetchPage: (params: Params) => Promise<Fetched<Page>>
  first: Params
  /** `false`: only the first page. */
  follow?: boolean
}

/**
 * Follows the cursor in each page's `next` link (`before` or `after`, whichever Spotify put there)
 * until `next` is null or a page comes back empty.
 */
export async function* cursorPages<Page extends CursorPageShape>({
  fetchPage,
  first,
  follow = true,
}: CursorPagesOptions<Page>): AsyncGenerator<Fetched<Page>> {
  let params = first
  for (;;) {
    const page = await fetchPage(params)
    yield page
    const { next, items } = page.data
    if (!follow || !next || items.length === 0) return
    params = Object.fromEntries(new URL(next).searchParams)
  }
}

/** Every item of every page, in order (convenience for callers that do not keep raw pages). */
export async function* itemsOf<Item>(pages: AsyncIterable<Fetched<{ items: Item[] }>>): AsyncGenerator<Item> {
  for await (const page of pages) yield* page.data.items
}

/** Drain an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const value of iterable) out.push(value)
  return out
}
