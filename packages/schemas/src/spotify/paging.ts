/** @module Spotify's two paging envelopes: offset paging (`pagingSchema`) and cursor paging (`cursorPagingSchema`). */
import { z } from 'zod'
import { spotifyObject } from './object.ts'

/**
 * An offset-paged list of `item`. `next`/`previous` are null on the last/first page; they may also
 * be absent in responses re-encoded by client libraries, which means the same.
 */
export function pagingSchema<Item extends z.ZodType>(item: Item) {
  return spotifyObject({
    href: z.string(),
    items: z.array(item),
    limit: z.int(),
    offset: z.int(),
    total: z.int(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
  })
}
export type Paging<Item> = {
  href: string
  items: Item[]
  limit: number
  offset: number
  total: number
  next?: string | null | undefined
  previous?: string | null | undefined
}

/** `cursors` is null when a cursor page is empty; `total` is not sent by recently-played. */
export const CursorsSchema = spotifyObject({
  after: z.string().nullish(),
  before: z.string().nullish(),
})
export type Cursors = z.infer<typeof CursorsSchema>

/** A cursor-paged list of `item` (recently played, followed artists). */
export function cursorPagingSchema<Item extends z.ZodType>(item: Item) {
  return spotifyObject({
    href: z.string(),
    items: z.array(item),
    limit: z.int(),
    next: z.string().nullable(),
    cursors: CursorsSchema.nullable(),
    total: z.int().optional(),
  })
}
export type CursorPaging<Item> = {
  href: string
  items: Item[]
  limit: number
  next: string | null
  cursors: Cursors | null
  total?: number | undefined
}
