/** @module `spotifyObject`: zod objects that keep unknown keys at runtime but type only the known ones. */
import { z } from 'zod'

/**
 * A Spotify payload object. Spotify adds fields without notice and the lake's raw zone keeps every
 * byte anyway, so unknown keys must never fail a parse or be stripped from what callers pass on.
 * The declared type still names only the fields we model, so nobody builds on an undocumented key.
 */
export function spotifyObject<Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape, z.core.$strip> {
  return z.looseObject(shape) as unknown as z.ZodObject<Shape, z.core.$strip>
}
