#!/usr/bin/env bash
# Stages what the image holds under target/docker: the command line's and the memory store's jars,
# the shipped models and the container scripts. Builds the project first when it is not built.
#
#   docker/stage.sh            # then: docker-compose build
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/target/docker"
cd "$ROOT"
if [ ! -f tools/target/classpath.txt ] || [ ! -f memory-store/target/classpath.txt ] \
   || ! ls tools/target/foresight-tools-*.jar >/dev/null 2>&1; then
  echo "building the project (mvn -B -q install -DskipTests)"
  mvn -B -q install -DskipTests
fi
rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/memory-lib" "$OUT/memory-store/target/classes" "$OUT/tools/target/classes"
copy_cp() { # classpath file -> directory
  { tr ":" "\n" <"$1"; echo; } | while read -r jar; do [ -n "$jar" ] && cp "$jar" "$2/"; done
}
copy_cp tools/target/classpath.txt "$OUT/lib"
cp tools/target/foresight-tools-*.jar "$OUT/lib/"
copy_cp memory-store/target/classpath.txt "$OUT/memory-lib"
cp memory-store/target/foresight-memory-store-*.jar "$OUT/memory-lib/"
# Flink's web dashboard (the REST API itself is in flink-runtime)
WEB=$(find ~/.m2/repository/org/apache/flink/flink-runtime-web -name 'flink-runtime-web-2.2.0.jar' 2>/dev/null | head -1)
if [ -z "$WEB" ]; then
  mvn -B -q dependency:get -Dartifact=org.apache.flink:flink-runtime-web:2.2.0 -Dtransitive=false >/dev/null
  WEB=$(find ~/.m2/repository/org/apache/flink/flink-runtime-web -name 'flink-runtime-web-2.2.0.jar' | head -1)
fi
cp "$WEB" "$OUT/lib/"
# the launcher's layout, so that commands that start the memory store in a child JVM work too
(cd "$OUT/memory-lib" && ls *.jar | sed 's#^#/opt/foresight/memory-lib/#' | paste -sd: -) \
  >"$OUT/memory-store/target/classpath.txt"
(cd "$OUT/lib" && ls *.jar | sed 's#^#/opt/foresight/lib/#' | paste -sd: -) \
  >"$OUT/tools/target/classpath.txt"
mkdir -p "$OUT/models"
for card in models/*/model-card.json; do cp -r "$(dirname "$card")" "$OUT/models/"; done
cp -r docker/bin docker/conf "$OUT/"
chmod +x "$OUT"/bin/*
echo "staged $(du -sh "$OUT" | cut -f1) in $OUT"
