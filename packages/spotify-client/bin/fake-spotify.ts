/** @module Starts a fake Spotify on 127.0.0.1 until Ctrl-C; prints one JSON line with the URL and credentials. */
import { FAKE_CLI_USAGE, parseFakeCliArgs } from '../src/fake/cli-args.ts'
import { startFakeSpotify } from '../src/fake/node.ts'

const main = async () => {
  const options = parseFakeCliArgs(process.argv.slice(2))
  if (options === 'help') {
    console.log(FAKE_CLI_USAGE)
    return
  }
  const { url, fake, close } = await startFakeSpotify(options)
  // One machine-readable line: the local stack and tests read it to configure the client.
  console.log(
    JSON.stringify({
      url,
      mode: fake.mode,
      ...fake.credentials,
      playlists: fake.catalog.playlists.map((p) => ({ id: p.id, owner: p.ownerId, total: p.entries.length })),
    }),
  )
  const stop = () => {
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((err: Error) => {
  console.error(`fake-spotify: ${err.message}\n\n${FAKE_CLI_USAGE}`)
  process.exit(2)
})
