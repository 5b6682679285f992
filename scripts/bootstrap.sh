#!/usr/bin/env bash
# @module Sets up the toolchain on a fresh machine that has only Node (any version >= 18) and npm.
# pnpm comes from the npm registry at the version pinned in package.json's packageManager;
# Node >= 22.12 comes from the registry as the root devDependency `node`, so every pnpm script
# runs on it whatever Node the machine ships.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' package.json)"
tools="$root/.tools"
pnpm_bin="$tools/node_modules/.bin/pnpm"

if ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: npm is required (install Node.js >= 18 with npm first)" >&2
  exit 1
fi

if [ ! -x "$pnpm_bin" ] || [ "$("$pnpm_bin" --version 2>/dev/null)" != "$pnpm_version" ]; then
  echo "bootstrap: installing pnpm $pnpm_version into .tools/" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-package-lock --silent "pnpm@$pnpm_version" >&2
fi

# Install (or refresh) dependencies when the lockfile changed since the last install.
stamp="node_modules/.bootstrap-lock"
if [ ! -f "$stamp" ] || ! cmp -s pnpm-lock.yaml "$stamp"; then
  echo "bootstrap: installing dependencies (pnpm install --frozen-lockfile)" >&2
  if [ -n "${CI:-}" ]; then reporter=(--reporter=append-only); else reporter=(); fi
  "$pnpm_bin" install --frozen-lockfile "${reporter[@]}" >&2
  cp pnpm-lock.yaml "$stamp"
fi
