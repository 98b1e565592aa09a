#!/usr/bin/env bash
# Starts code-server in its own process group (setsid) on PORT with a fresh profile in $E2E_RUN,
# writes its pid (= process-group id) to $E2E_RUN/cs.pid, waits for /healthz.
# Usage: start-code-server.sh PORT
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
PORT=${1:?port}
e2e_isolate
export PATH="$E2E_NODE24_BIN:$PATH"
mkdir -p "$E2E_RUN/user-data/User" "$E2E_RUN/extensions"
cat > "$E2E_RUN/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.editor.enablePreview": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "editor.hover.delay": 100,
  "editor.minimap.enabled": false,
  "editor.lightbulb.enabled": "on",
  "window.restoreWindows": "none",
  "files.hotExit": "off",
  "files.autoSave": "off",
  // The cases check files one by one as they open them; a full Problems panel from the start would push their rows out
  // of the (virtualised) list. Case 11 runs "Check workspace" itself, last.
  "tlsConfig.workspaceCheck.onStartup": false
}
JSON
# EXTENSIONS_GALLERY: no marketplace; --reconnection-grace-time: drop the extension host of a closed tab after 5 s
EXTENSIONS_GALLERY='{"serviceUrl":""}' setsid "$E2E_CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --reconnection-grace-time 5 --ignore-last-opened \
  --user-data-dir "$E2E_RUN/user-data" --extensions-dir "$E2E_RUN/extensions" \
  > "$E2E_RUN/code-server.log" 2>&1 < /dev/null &
echo $! > "$E2E_RUN/cs.pid"
for _ in $(seq 1 600); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then echo "[e2e] code-server up on $PORT (pgid $(cat "$E2E_RUN/cs.pid"))"; exit 0; fi
  kill -0 "$(cat "$E2E_RUN/cs.pid")" 2>/dev/null || break
  sleep 0.1
done
echo "[e2e] code-server did not come up"; cat "$E2E_RUN/code-server.log"; exit 1
