#!/bin/sh
# Trunk post-build hook: writes the service worker's list of shell files and
# a build id (a hash of those files) into the staged sw.js.
set -eu
cd "$TRUNK_STAGING_DIR"
files=$(find . -type f ! -name sw.js | sed 's|^\./||' | sort)
build=$(echo "$files" | xargs cat | sha256sum | cut -c1-16)
list=$(echo "$files" | sed 's/.*/"&"/' | paste -sd, -)
sed -i "s|__BUILD__|$build|; s|__SHELL__|[$list]|" sw.js
