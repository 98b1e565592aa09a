#!/usr/bin/env bash
# Stops what start-code-server.sh started: the whole process group (server, extension hosts, language servers), by id.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
f="$E2E_RUN/cs.pid"
[ -f "$f" ] || exit 0
PID=$(cat "$f")
kill_group() { # $1 = pgid
  kill -TERM -- "-$1" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null || true
}
kill_group "$PID"
rm -f "$f"
