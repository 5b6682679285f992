/** @module The Spotify id as extraction units carry it (moved here from the queue messages with the units). */
import { z } from 'zod'

export const SpotifyIdSchema = z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'not a Spotify id')
