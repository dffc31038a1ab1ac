#!/usr/bin/env bash
# Refresh the vendored htmx used by the web interface (api/web/) in api/static/vendor/htmx/.
#
# Like scripts/vendor-bpmn-js.sh: run by hand when upgrading, CI does not run it. The pages load
# htmx from the package itself (no CDN is reachable from enforcement networks). Fetches the pinned
# package tarball from the npm registry with `npm pack`, copies the minified build and its licence,
# and records the version.
set -euo pipefail

HTMX_VERSION=2.0.11

repo_root=$(cd "$(dirname "$0")/.." && pwd)
target="$repo_root/api/static/vendor/htmx"
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

cd "$work_dir"
npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null
tar xzf "htmx.org-$HTMX_VERSION.tgz"

rm -rf "$target"
mkdir -p "$target"
cp package/dist/htmx.min.js "$target/"
cp package/LICENSE "$target/LICENSE"
printf 'htmx.org %s (0BSD) from the npm registry\n' "$HTMX_VERSION" >"$target/VERSION"
echo "vendored htmx $HTMX_VERSION into $target"
