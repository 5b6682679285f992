/** @module Small HTML pages for the browser steps of connecting an account: escaped text, no scripts, never framed. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text for HTML: every character that could open markup is an entity. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/**
 * A page whose `body` is trusted markup built from `escapeHtml`ed text. Not cached, not framed (the
 * consent pages carry cookies and forms), no script runs.
 */
export function htmlPage(
  c: Context,
  { status = 200, title, body }: { status?: ContentfulStatusCode; title: string; body: string },
): Response {
  c.header('Cache-Control', 'no-store')
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  )
  c.header('X-Frame-Options', 'DENY')
  c.header('Referrer-Policy', 'no-referrer')
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}` +
      `code{background:#eee;padding:0 .2em}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    status,
  )
}
