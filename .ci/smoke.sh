#!/usr/bin/env bash
# Starts the built hub (node dist/...) on a fresh embedded PostgreSQL, queries it with a
# development token, and stops it. Fails on any error.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d /tmp/ketenhub-smoke-XXXX); chmod 755 "$data"
port=$((40000 + RANDOM % 10000)); pgport=$((50000 + RANDOM % 10000))
export DATA_DIR="$data" PORT="$port" EMBEDDED_PG_PORT="$pgport" LOG_LEVEL=warn
node dist/server/main.js & pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
curl -fs "http://127.0.0.1:$port/readyz"; echo
token=$(node dist/scripts/token.js r.jansen@swt-waalbeek.example)
out=$(curl -fs -X POST "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
  -H "authorization: Bearer $token" -d '{"query":"{ me { email role } cases(first: 5) { edges { node { id status } } } }"}')
echo "$out"
echo "$out" | grep -q '"role":"REGISSEUR"'
# the anonymised network report, as the auditor
atoken=$(node dist/scripts/token.js beleid@waalbeek.example)
# (sed reads the whole body: with `head -1` curl could be cut off mid-write, exit 23 under pipefail)
first=$(curl -fs "http://127.0.0.1:$port/reports/network.csv" -H "authorization: Bearer $atoken" | sed -n 1p)
[[ "$first" == periode_van,* ]] || { echo "smoke: network.csv starts with '$first'"; exit 1; }
kill -TERM $pid; code=0; wait $pid || code=$?
trap - EXIT; rm -rf "$data"
[ "$code" -eq 0 ] || { echo "smoke: hub exited $code on SIGTERM (expected 0)"; exit 1; }
echo "smoke: ok"
