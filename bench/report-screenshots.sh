#!/usr/bin/env bash
# Screenshots of reports for docs/reports.md, taken by the browser test's own Chromium
# (ReportBrowserTest#screenshotsForTheDocs): one folder per kind, written to docs/img/report-<kind>.png,
# the top 2200 CSS pixels of each page at half scale.
#   bench/report-screenshots.sh RUN_FOLDER...     (MVN_FLAGS="-o" to build offline)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -gt 0 ] || { echo "usage: bench/report-screenshots.sh RUN_FOLDER..." >&2; exit 2; }
folders=""
for f in "$@"; do folders="$folders${folders:+,}$(cd "$f" && pwd)"; done
cd "$repo"
# shellcheck disable=SC2086
mvn -B -ntp -q ${MVN_FLAGS:-} -pl core test -Dtest='ReportBrowserTest#screenshotsForTheDocs' \
    -Dsurefire.failIfNoSpecifiedTests=false -Dtuneup.reportShots="$repo/docs/img" -Dtuneup.reportFolders="$folders"
ls -l docs/img/report-*.png
