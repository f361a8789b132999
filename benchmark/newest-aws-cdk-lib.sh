#!/usr/bin/env bash
# Installs the newest aws-cdk-lib release that the install check pins (test/install/package-lock.json)
# into node_modules/.cache/bench-newest once, and runs the platform benchmark against it: that release
# validates templates against CloudFormation's schemas, so "validation on" and "off" differ.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache="$root/node_modules/.cache/bench-newest"
if ! cmp -s "$root/test/install/package-lock.json" "$cache/package-lock.json"; then
  rm -rf "$cache" && mkdir -p "$cache"
  cp "$root/test/install/package.json" "$root/test/install/package-lock.json" "$cache/"
  (cd "$cache" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
fi
export BENCH_NODE_MODULES="$cache/node_modules"
echo "aws-cdk-lib $(node -p "require('$BENCH_NODE_MODULES/aws-cdk-lib/package.json').version") from $BENCH_NODE_MODULES"
exec npx ts-node --project "$root/tsconfig.dev.json" "$root/benchmark/platform.ts"
