/** @module The Worker's view of the token broker: the Spotify app it brokers for, and how to reconnect. */
import { type Broker, brokerOf, type SpotifyApp } from '@spotify-lake/token-broker'
import type { ExtractConfig } from '../config.ts'

/** The Spotify app of this Worker's configuration (its tokens live in the broker's realm of it). */
export function spotifyAppOf(config: ExtractConfig): SpotifyApp {
  return {
    clientId: config.SPOTIFY_CLIENT_ID,
    clientSecret: config.SPOTIFY_CLIENT_SECRET,
    accountsBaseUrl: config.SPOTIFY_ACCOUNTS_BASE_URL.replace(/\/+$/, ''),
    apiBaseUrl: config.SPOTIFY_API_BASE_URL.replace(/\/+$/, ''),
  }
}

export function brokerFor(env: Pick<Env, 'TOKEN_BROKER'>, config: ExtractConfig): Broker {
  return brokerOf(env.TOKEN_BROKER, spotifyAppOf(config))
}

/** What to do when an account needs consent again: the Worker's /connect, or a new secret. */
export function reconnectHint(config: Pick<ExtractConfig, 'PUBLIC_URL'>, origin?: string): string {
  const base = config.PUBLIC_URL ?? origin
  const connect = base ? `${base.replace(/\/+$/, '')}/connect` : "this Worker's /connect"
  return `open ${connect} in a browser and approve (operator login), or store a new SPOTIFY_REFRESH_TOKEN from \`lake auth\``
}
