/** @module The personal fields of an export record that the lake never writes, not even to raw. */

/**
 * IP addresses, user agents and usernames (FORMAT.md: `ip_addr`; older exports `ip_addr_decrypted`,
 * `user_agent_decrypted`, `username`). The lake's tables never had them; the sanitised copy of each
 * record that goes to raw and to rejects has them removed too.
 */
export const PERSONAL_FIELDS: readonly string[] = [
  'ip_addr',
  'ip_addr_decrypted',
  'user_agent',
  'user_agent_decrypted',
  'username',
]

/** The record without its personal fields (a shallow copy; a non-object is returned as it is). */
export function withoutPersonalFields(record: unknown): unknown {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record
  const copy: Record<string, unknown> = { ...(record as Record<string, unknown>) }
  for (const field of PERSONAL_FIELDS) delete copy[field]
  return copy
}
