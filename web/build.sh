#!/usr/bin/env bash
# Assembles web/dist/ (not committed: the ECharts build comes from node_modules) from web/src/ and the
# ECharts build in node_modules. Run `npm ci` (or `npm install`) first.
set -euo pipefail
cd "$(dirname "$0")"
echarts=node_modules/echarts/dist/echarts.min.js
[ -f "$echarts" ] || { echo "build.sh: $echarts missing; run npm ci first" >&2; exit 1; }
rm -rf dist
mkdir -p dist/assets
cp src/index.html dist/index.html
cp src/app.js dist/assets/app.js
cp src/period.js dist/assets/period.js
cp src/style.css dist/assets/style.css
cp "$echarts" dist/assets/echarts.min.js
# The method and its limits, which the "did it work?" panel links to (when the doc exists).
if [ -f ../docs/impact.md ]; then cp ../docs/impact.md dist/impact.md; fi
echo "build.sh: wrote $(pwd)/dist"
