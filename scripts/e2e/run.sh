#!/usr/bin/env bash
# End-to-end tests of the extension in a real VS Code workbench (code-server), driven by headless chromium.
#   1. install the toolchain if missing (scripts/e2e/install-code-server.sh, idempotent)
#   2. build + package the extension (npm run package -> tls-config.vsix), with the machine's Node (20)
#   3. fresh profile + scratch workspace in $E2E_RUN, install the vsix, start code-server (own process group) on a free port
#   4. node --test test/e2e/*.test.mjs (own process group: the runner and the browsers it starts)
#   5. stop both groups by id (trap); with UPDATE_SCREENSHOTS=1 and a green run, copy the README's screenshots to docs/images
# Env: E2E (toolchain dir, default .e2e), E2E_RUN (scratch, default $E2E/run), E2E_SKIP_BUILD=1 (reuse tls-config.vsix),
#      E2E_SKIP_INSTALL=1, E2E_KEEP=1 (keep the scratch folder), E2E_TEST_ARGS (extra args for node --test, e.g. --test-name-pattern=hover),
#      E2E_SHOTS (screenshots, default $E2E/screenshots: outside the tracked tree), UPDATE_SCREENSHOTS=1 (copy them into docs/images)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$E2E_ROOT"
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
T0=$(now)

mkdir -p "$E2E"
[ "${E2E_SKIP_INSTALL:-}" = 1 ] || bash scripts/e2e/install-code-server.sh >"$E2E/install.log" 2>&1 || { cat "$E2E/install.log"; exit 1; }
T1=$(now)

NODE=$(command -v node)   # the machine's Node (20): builds the extension and runs the tests
# The repo's .vscodeignore decides what goes into the vsix; without one vsce would pack .e2e/ (code-server
# itself), so fall back to ours.
PACK_ARGS=()
[ -f .vscodeignore ] || PACK_ARGS+=(--ignoreFile scripts/e2e/vscodeignore)
if [ "${E2E_SKIP_BUILD:-}" != 1 ] || [ ! -f tls-config.vsix ]; then
  rm -f tls-config.vsix
  npm run --silent package -- ${PACK_ARGS[@]+"${PACK_ARGS[@]}"} >"$E2E/package.log" 2>&1 || { cat "$E2E/package.log"; exit 1; }
fi
T2=$(now)

# Scratch folder of this run. Stop a leftover server of an aborted run first (by its recorded process-group id).
bash scripts/e2e/stop-code-server.sh
rm -rf "$E2E_RUN"
mkdir -p "$E2E_RUN"
# Screenshots of every run go outside the tracked tree (.e2e is git-ignored): a green CI run leaves git status clean.
SHOTS="${E2E_SHOTS:-$E2E/screenshots}"
rm -rf "$SHOTS" && mkdir -p "$SHOTS"

TEST_PGID=""
cleanup() {
  local rc=$?
  if [ -n "$TEST_PGID" ]; then kill -TERM -- "-$TEST_PGID" 2>/dev/null || true; sleep 0.2; kill -KILL -- "-$TEST_PGID" 2>/dev/null || true; fi
  bash "$E2E_ROOT/scripts/e2e/stop-code-server.sh"
  # keep the scratch folder (logs, workspace) when something failed
  [ "${E2E_KEEP:-}" = 1 ] || [ "$rc" != 0 ] || rm -rf "$E2E_RUN"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

( e2e_isolate; PATH="$E2E_NODE24_BIN:$PATH" "$E2E_CODE_SERVER" --user-data-dir "$E2E_RUN/user-data" --extensions-dir "$E2E_RUN/extensions" \
    --install-extension "$E2E_ROOT/tls-config.vsix" >"$E2E_RUN/install-vsix.log" 2>&1 ) || { cat "$E2E_RUN/install-vsix.log"; exit 1; }
"$NODE" test/e2e/support/fixtures.mjs "$E2E_RUN/ws"
PORT=${PORT:-$("$NODE" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
bash scripts/e2e/start-code-server.sh "$PORT"
T3=$(now)

# The tests: own process group so that the runner and every chromium it launched end together.
set +e
(
  e2e_isolate
  export CS_URL="http://127.0.0.1:$PORT" E2E_WS="$E2E_RUN/ws" E2E_SHOTS="$SHOTS"
  # shellcheck disable=SC2086
  exec setsid "$NODE" --test --test-concurrency=1 --test-reporter=spec ${E2E_TEST_ARGS:-} test/e2e/*.test.mjs
) &
TEST_PGID=$!
wait "$TEST_PGID"
RC=$?
TEST_PGID=""
set -e
T4=$(now)

# The README's screenshots change only on request, from a green run.
README_SHOTS="hover problems generate certificate-view status-bar"
if [ "$RC" = 0 ] && [ "${UPDATE_SCREENSHOTS:-}" = 1 ]; then
  mkdir -p docs/images
  for n in $README_SHOTS; do if [ -f "$SHOTS/$n.png" ]; then cp "$SHOTS/$n.png" "docs/images/$n.png"; echo "[e2e] updated docs/images/$n.png"; fi; done
elif [ "$RC" = 0 ]; then
  echo "[e2e] screenshots in $SHOTS (UPDATE_SCREENSHOTS=1 copies $README_SHOTS to docs/images)"
fi
echo "[e2e] timings_ms install-check=$(ms "$T0" "$T1") build+package=$(ms "$T1" "$T2") profile+vsix+workspace+server=$(ms "$T2" "$T3") tests=$(ms "$T3" "$T4") total=$(ms "$T0" "$T4")"
[ "$RC" = 0 ] || { echo "[e2e] FAILED (rc=$RC); code-server log: $E2E_RUN/code-server.log (kept), screenshots: $SHOTS"; }
exit "$RC"
