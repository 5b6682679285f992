/** @module Just enough XML for S3 answers (ListObjectsV2, Error): fixed shapes, no general parser needed. */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent.startsWith('#x') || ent.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(ent.slice(2), 16))
    if (ent.startsWith('#')) return String.fromCodePoint(Number.parseInt(ent.slice(1), 10))
    return ENTITIES[ent.toLowerCase()] ?? whole
  })
}

/** First `<tag>` text inside `xml`, decoded. */
export function tagText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)
  return m ? decode(m[1]!) : undefined
}

/** Every `<tag>...</tag>` block inside `xml`. */
export function tagBlocks(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!)
}
