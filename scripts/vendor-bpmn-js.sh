#!/usr/bin/env bash
# Refresh the vendored bpmn-js / dmn-js viewers in api/static/vendor/.
#
# The web UI and the browser tests (tests/browser/) load these files from the package itself:
# no CDN is reachable from the deployments. Run by hand when upgrading; CI does not run it.
# Installs the pinned versions from the npm registry into a temporary directory, copies the
# navigated-viewer bundles with their CSS and icon fonts, and writes the licences (the bpmn.io
# licence requires the watermark the viewers draw to stay visible).
set -euo pipefail

BPMN_JS_VERSION=18.31.1
DMN_JS_VERSION=17.10.2

repo_root=$(cd "$(dirname "$0")/.." && pwd)
vendor_dir="$repo_root/api/static/vendor"
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

cd "$work_dir"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts \
    "bpmn-js@$BPMN_JS_VERSION" "dmn-js@$DMN_JS_VERSION" >/dev/null

rm -rf "$vendor_dir/bpmn-js" "$vendor_dir/dmn-js"
mkdir -p "$vendor_dir/bpmn-js/assets" "$vendor_dir/dmn-js/assets"

bpmn_dist=node_modules/bpmn-js/dist
cp "$bpmn_dist/bpmn-navigated-viewer.production.min.js" "$vendor_dir/bpmn-js/"
cp "$bpmn_dist/assets/diagram-js.css" "$bpmn_dist/assets/bpmn-js.css" "$vendor_dir/bpmn-js/assets/"
cp -r "$bpmn_dist/assets/bpmn-font" "$vendor_dir/bpmn-js/assets/"
cp node_modules/bpmn-js/LICENSE "$vendor_dir/bpmn-js/LICENSE"

dmn_dist=node_modules/dmn-js/dist
cp "$dmn_dist/dmn-navigated-viewer.production.min.js" "$vendor_dir/dmn-js/"
cp "$dmn_dist"/assets/*.css "$vendor_dir/dmn-js/assets/"
cp -r "$dmn_dist/assets/dmn-font" "$vendor_dir/dmn-js/assets/"
cp node_modules/dmn-js/LICENSE "$vendor_dir/dmn-js/LICENSE"

# The bundles inline their npm dependencies: keep every runtime dependency's licence beside them.
notices="$vendor_dir/THIRD-PARTY-LICENSES.txt"
: >"$notices"
npm ls --all --parseable | tail -n +2 | sort -u | while read -r pkg_dir; do
    node -e '
        const p = require(process.argv[1] + "/package.json");
        console.log(`==== ${p.name}@${p.version} (${p.license || "see below"}) ====`);
    ' "$pkg_dir" >>"$notices"
    licence_file=$(find "$pkg_dir" -maxdepth 1 -iname 'licen[cs]e*' | head -1)
    if [ -n "$licence_file" ]; then cat "$licence_file" >>"$notices"; fi
    echo >>"$notices"
done

printf 'bpmn-js %s\ndmn-js %s\n' "$BPMN_JS_VERSION" "$DMN_JS_VERSION" >"$vendor_dir/VERSIONS"
echo "vendored bpmn-js $BPMN_JS_VERSION and dmn-js $DMN_JS_VERSION into $vendor_dir"
