#!/bin/sh
# Trunk post-build hook: writes the service worker's list of shell files and
# a build id (a hash of those files) into the staged sw.js.
set -eu
sh "$(dirname "$0")/build-wasm.sh"
cd "$TRUNK_STAGING_DIR"
# The Content-Security-Policy allows exactly the inline scripts Trunk wrote
# (its loader), by their SHA-256; anything injected later does not run.
# Debug builds (`trunk serve`) allow inline scripts instead: Trunk's
# autoreload script is rewritten per request (the address it reconnects
# to), so no hash made here could match it. Releases never do this.
node -e '
  const fs = require("fs");
  const crypto = require("crypto");
  const html = fs.readFileSync("index.html", "utf8");
  const hashes = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map(([, body]) => `\x27sha256-${crypto.createHash("sha256").update(body).digest("base64")}\x27`);
  const allowed = process.env.TRUNK_PROFILE === "debug" ? ["\x27unsafe-inline\x27"] : hashes;
  fs.writeFileSync("index.html", html.replace("__SCRIPT_HASHES__", allowed.join(" ")));
'
files=$(find . -type f ! -name sw.js | sed 's|^\./||' | sort)
build=$(echo "$files" | xargs cat | sha256sum | cut -c1-16)
list=$(echo "$files" | sed 's/.*/"&"/' | paste -sd, -)
sed -i "s|__BUILD__|$build|; s|__SHELL__|[$list]|" sw.js
