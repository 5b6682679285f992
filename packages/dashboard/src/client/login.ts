/** @module The login page: says when the token was wrong; a `#token=` link (what `lake dashboard` prints) signs in at once. */
const failed = new URLSearchParams(location.search).has('failed')
const failedNotice = document.getElementById('failed')
if (failedNotice) failedNotice.hidden = !failed

const fromLink = /^#token=(.+)$/.exec(location.hash)?.[1]
if (fromLink && !failed) {
  // Drop the token from the address bar and history before anything else can read it.
  history.replaceState(null, '', location.pathname)
  const input = document.getElementById('token') as HTMLInputElement | null
  const form = document.getElementById('login') as HTMLFormElement | null
  if (input && form) {
    input.value = decodeURIComponent(fromLink)
    form.submit()
  }
}
