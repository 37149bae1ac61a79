#!/usr/bin/env bash
# Installs what building and testing need, only when it is missing, so it is
# quick on a machine that has everything. Sourced by the other scripts:
#   . scripts/tools.sh build   # wasm target, trunk, wasm-bindgen, wasm-opt
#   . scripts/tools.sh test    # the above, plus Chromium, chromedriver, Playwright
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
    # Not --locked: its lock file pins a crate version the registry no longer has.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (wasm-opt, playwright-core, axe-core, automerge-repo and its sync server)"
    # package.json overrides cbor-extract to 2.2.2: the registry here lacks
    # 2.2.3's platform packages, and without them `npm ci` refuses the lock.
    npm ci --no-audit --no-fund
  fi
}

ensure_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
  export CHROMEDRIVER=/usr/bin/chromedriver
}

case "${1:-build}" in
  build) ensure_build_tools ;;
  test) ensure_build_tools; ensure_browser ;;
  *) echo "usage: scripts/tools.sh build|test" >&2; exit 2 ;;
esac
