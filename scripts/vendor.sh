#!/usr/bin/env bash
# Refresh the vendored front-end libraries from the npm registry (run by hand: `make vendor`).
# The files are committed; nothing is fetched at run time or by the tests.
# Swagger UI is not here: django-ninja ships it (see filiere/static/vendor/README.md).
set -euo pipefail
HTMX=2.0.8
CHARTJS=4.5.1
AXE=4.11.1
LEAFLET=1.9.4
MARKERCLUSTER=1.5.3
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "htmx.org@$HTMX" "chart.js@$CHARTJS" "axe-core@$AXE" \
    "leaflet@$LEAFLET" "leaflet.markercluster@$MARKERCLUSTER"
static="$root/filiere/static/vendor"
cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE "$static/htmx/"
# The source maps go with the files that name them: collectstatic's manifest requires them.
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map \
    node_modules/chart.js/LICENSE.md "$static/chartjs/"
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
    node_modules/leaflet/dist/leaflet.css \
    node_modules/leaflet/dist/images node_modules/leaflet/LICENSE "$static/leaflet/"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
    node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map \
    node_modules/leaflet.markercluster/dist/MarkerCluster.css \
    node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
    node_modules/leaflet.markercluster/MIT-LICENCE.txt "$static/leaflet-markercluster/"
cp node_modules/axe-core/axe.min.js "$root/tests/browser/vendor/"
cp node_modules/axe-core/LICENSE "$root/tests/browser/vendor/LICENSE-axe-core"
echo "htmx $HTMX, Chart.js $CHARTJS, Leaflet $LEAFLET, markercluster $MARKERCLUSTER, axe-core $AXE vendored."
