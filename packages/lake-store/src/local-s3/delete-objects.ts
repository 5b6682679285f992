/**
 * @module DeleteObjects as S3 decides it: each key is authorized on its own (`s3:DeleteObject`), allowed keys
 * are deleted, denied ones come back as per-key `AccessDenied` errors in a 200 `DeleteResult`.
 */

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

const xmlText = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) =>
    m[1]!.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!),
  )
const escapeXml = (text: string) =>
  text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)

/**
 * The `DeleteResult` XML for a DeleteObjects request body.
 *
 * @param allowed whether the caller may delete a key (a denial is recorded by the caller)
 * @param deleteKey deletes one key on the server behind; answers its HTTP status
 */
export async function deleteObjects({
  body,
  allowed,
  deleteKey,
}: {
  body: string
  allowed: (key: string) => Promise<boolean>
  deleteKey: (key: string) => Promise<number>
}): Promise<string> {
  const quiet = xmlText(body, 'Quiet')[0] === 'true'
  const deleted: string[] = []
  const errors: string[] = []
  const error = (key: string, code: string, message: string) =>
    errors.push(
      `<Error><Key>${escapeXml(key)}</Key><Code>${code}</Code><Message>${message}</Message></Error>`,
    )
  for (const key of xmlText(body, 'Key')) {
    if (!(await allowed(key))) {
      error(key, 'AccessDenied', 'Access Denied')
      continue
    }
    const status = await deleteKey(key)
    if (status >= 300) error(key, 'InternalError', String(status))
    else if (!quiet) deleted.push(`<Deleted><Key>${escapeXml(key)}</Key></Deleted>`)
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${deleted.join('')}${errors.join('')}</DeleteResult>`
}
