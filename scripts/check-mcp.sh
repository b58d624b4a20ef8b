#!/usr/bin/env bash
# Runs the official MCP conformance suite + Inspector CLI (../shared/tools/mcp-check) against
# the gateway serving the bundled capabilities on the offline simulator. Skips (exit 0, with a
# message) when ../shared is not next to the clone, as on a user's fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK="../shared/tools/mcp-check/check-mcp.sh"
if [ ! -f "$CHECK" ]; then
  echo "check-mcp: ../shared/tools/mcp-check not found; skipping the MCP conformance check"
  exit 0
fi
LOG="$(mktemp)"
node bin/capgate.js demo --sim-port 0 --rest-port 0 --mcp-port 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -f "$LOG"' EXIT
URL=""
for _ in $(seq 1 100); do
  # The listening line is plain text on a terminal and a JSON log line otherwise: find the URL in either.
  # (`|| true`: no line yet is not an error under set -e and pipefail.)
  URL="$(grep -oE 'capgate MCP listening on http[^" ]+' "$LOG" | head -1 | sed 's/^capgate MCP listening on //' || true)"
  [ -n "$URL" ] && break
  sleep 0.2
done
if [ -z "$URL" ]; then
  echo "check-mcp: the gateway did not start:"; cat "$LOG"; exit 1
fi
echo "check-mcp: gateway MCP endpoint $URL"
bash "$CHECK" --min-tools 4 "$URL"
