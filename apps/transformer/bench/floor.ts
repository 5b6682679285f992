/**
 * @module The floor a transform is measured against: what any reader of a raw object must do before
 * it can look at a single record (gunzip, UTF-8 decode, `JSON.parse` of the envelope and of every body),
 * holding no more than it must (the text goes once the envelope is parsed, each body once parsed).
 */
import { gunzip } from '@spotify-lake/lake-store'

interface Envelope {
  responses: { body: string }[]
}

async function parseEnvelope(bytes: Uint8Array): Promise<Envelope> {
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(await gunzip(bytes))
  return JSON.parse(text) as Envelope
}

/** Parses one raw object the way `transformRaw` does, and nothing more; the number of bodies parsed. */
export async function parseRawFloor(bytes: Uint8Array): Promise<number> {
  const envelope = await parseEnvelope(bytes)
  let parsed = 0
  for (const response of envelope.responses) {
    if (JSON.parse(response.body) !== undefined) parsed++
    response.body = ''
  }
  return parsed
}
