/** @module Typed Spotify Web API client. */
export const hello = (): string => 'spotify-client'
