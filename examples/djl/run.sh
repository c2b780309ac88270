#!/usr/bin/env bash
# Builds tuneup (CLI jar + tuneup-djl) if needed, then runs examples/djl/DjlPredict.java on a bundle:
#   examples/djl/run.sh runs/<run>/bundle img1.jpg img2.png ...
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$repo/cli/target/tuneup.jar"
djl="$(ls "$repo"/djl/target/tuneup-djl-*.jar 2>/dev/null | head -1 || true)"
if [ ! -f "$jar" ] || [ -z "$djl" ]; then
  (cd "$repo" && mvn -q -B -ntp -pl cli,djl -am -DskipTests package) >&2
  djl="$(ls "$repo"/djl/target/tuneup-djl-*.jar | head -1)"
fi
exec java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar:$djl" \
  "$repo/examples/djl/DjlPredict.java" "$@"
