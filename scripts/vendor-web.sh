#!/usr/bin/env bash
# Refresh what the web interface (api/web/) vendors: htmx in api/static/vendor/htmx/, pdf.js in
# api/static/vendor/pdfjs/, ECharts in api/static/vendor/echarts/ (the statistics page's charts), and axe-core for the accessibility test in tests/browser/web/vendor/.
#
# Like scripts/vendor-bpmn-js.sh: run by hand when upgrading, CI does not run it. The pages load
# everything from the application itself (no CDN is reachable from enforcement networks; the CSP
# allows scripts from 'self' only). Fetches the pinned package tarballs from the npm registry with
# `npm pack`, copies the builds and their licences, and records the versions.
#
# pdf.js: the legacy build (older browsers on office PCs), its worker (served from /static like the
# library), and the CMaps for PDFs whose CJK fonts are not embedded. axe-core is not part of the app.
set -euo pipefail

HTMX_VERSION=2.0.11
PDFJS_VERSION=6.5.438
AXE_VERSION=4.14.1
ECHARTS_VERSION=5.6.0

repo_root=$(cd "$(dirname "$0")/.." && pwd)
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT
cd "$work_dir"

fetch() {  # fetch NAME VERSION → unpacked into ./NAME/package
  mkdir -p "$1"
  (cd "$1" && npm pack --silent "$1@$2" >/dev/null && tar xzf ./*.tgz)
}

# ---- htmx ----
target="$repo_root/api/static/vendor/htmx"
fetch htmx.org "$HTMX_VERSION"
rm -rf "$target" && mkdir -p "$target"
cp htmx.org/package/dist/htmx.min.js "$target/"
cp htmx.org/package/LICENSE "$target/LICENSE"
printf 'htmx.org %s (0BSD) from the npm registry\n' "$HTMX_VERSION" >"$target/VERSION"
echo "vendored htmx $HTMX_VERSION into $target"

# ---- pdf.js (pdfjs-dist) ----
target="$repo_root/api/static/vendor/pdfjs"
fetch pdfjs-dist "$PDFJS_VERSION"
rm -rf "$target" && mkdir -p "$target"
cp pdfjs-dist/package/legacy/build/pdf.min.mjs pdfjs-dist/package/legacy/build/pdf.worker.min.mjs "$target/"
cp -r pdfjs-dist/package/cmaps "$target/cmaps"
cp pdfjs-dist/package/LICENSE "$target/LICENSE"
printf 'pdfjs-dist %s (Apache-2.0) from the npm registry, legacy build\n' "$PDFJS_VERSION" >"$target/VERSION"
echo "vendored pdf.js $PDFJS_VERSION into $target"

# ---- ECharts: the common build (bar, line, pie) is all the statistics page draws ----
target="$repo_root/api/static/vendor/echarts"
fetch echarts "$ECHARTS_VERSION"
rm -rf "$target" && mkdir -p "$target"
cp echarts/package/dist/echarts.common.min.js "$target/"
cp echarts/package/LICENSE "$target/LICENSE"
cp echarts/package/NOTICE "$target/NOTICE"
printf 'echarts %s (Apache-2.0) from the npm registry, dist/echarts.common.min.js (bar, line, pie)\n' "$ECHARTS_VERSION" >"$target/VERSION"
echo "vendored echarts $ECHARTS_VERSION into $target"

# ---- axe-core (tests only) ----
target="$repo_root/tests/browser/web/vendor"
fetch axe-core "$AXE_VERSION"
rm -rf "$target" && mkdir -p "$target"
cp axe-core/package/axe.min.js "$target/"
cp axe-core/package/LICENSE "$target/LICENSE-axe-core"
printf 'axe-core %s (MPL-2.0) from the npm registry\n' "$AXE_VERSION" >"$target/VERSION"
echo "vendored axe-core $AXE_VERSION into $target"
