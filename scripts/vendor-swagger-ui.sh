#!/usr/bin/env bash
# Refresh the vendored Swagger UI in api/static/vendor/swagger-ui/ (the API docs page at /docs).
#
# Enforcement networks often reach no CDN, so /docs loads its script, stylesheet and icon from the
# application itself. Run by hand when upgrading; CI does not run it. Fetches the pinned
# swagger-ui-dist package from the npm registry and copies the standalone bundle with its licences.
# ReDoc is not served (one docs page is enough; its bundle would double the vendored size).
set -euo pipefail

SWAGGER_UI_VERSION=5.35.0

repo_root=$(cd "$(dirname "$0")/.." && pwd)
target="$repo_root/api/static/vendor/swagger-ui"
work_dir=$(mktemp -d)
trap 'rm -rf "$work_dir"' EXIT

cd "$work_dir"
tarball=$(npm pack --silent "swagger-ui-dist@$SWAGGER_UI_VERSION")
tar xzf "$tarball"

rm -rf "$target"
mkdir -p "$target"
for file in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css favicon-32x32.png LICENSE NOTICE; do
    cp "package/$file" "$target/"
done
# the bundle's last line points at a source map that is not shipped
sed -i '/^\/\/# sourceMappingURL=/d' "$target/swagger-ui-bundle.js"
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$target/swagger-ui.css"
echo "swagger-ui-dist $SWAGGER_UI_VERSION (Apache-2.0)" >"$target/VERSION"
echo "vendored swagger-ui-dist $SWAGGER_UI_VERSION into $target"
