#!/usr/bin/env bash
# The last step of `npm test`: the unit and integration layers again on Node.js 22, so a break on
# the next LTS shows up here while the machine runs Node 20. Node 22 comes from the npm registry
# (the `node` package ships the binary) into a side prefix, .cache/node22, never as a project
# dependency (its `node` would take over every npm script). Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=.cache/node22
node22="$prefix/node_modules/node/bin/node"
if [ ! -x "$node22" ] || ! "$node22" -v 2>/dev/null | grep -q '^v22\.'; then
  if ! npm view node@22 version >/dev/null 2>&1; then
    echo "test-node22: SKIPPED: the npm registry cannot be reached to fetch Node.js 22 (npm install --prefix $prefix node@22)" >&2
    exit 0
  fi
  mkdir -p "$prefix"
  [ -f "$prefix/package.json" ] || echo '{ "private": true, "description": "Node.js 22 for scripts/test-node22.sh" }' > "$prefix/package.json"
  npm install --prefix "$prefix" node@22 --no-save --no-audit --no-fund --loglevel=error
fi
echo "test-node22: unit and integration layers on Node.js $("$node22" -v)"
start=$(date +%s)
"$node22" node_modules/jest/bin/jest.js --selectProjects unit int "$@"
echo "test-node22: done in $(( $(date +%s) - start )) s"
