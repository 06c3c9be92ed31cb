#!/usr/bin/env bash
# The foresight command line inside the image (classpaths from /opt/foresight/lib and memory-lib).
set -euo pipefail
H=/opt/foresight
if [ "${1:-}" = "memory" ] || { [ "${1:-}" = "bench" ] && [ "${2:-}" = "memory" ]; }; then
  if [ "$1" = "memory" ]; then shift; else shift 2; set -- bench "$@"; fi
  exec java ${FORESIGHT_MEMORY_JAVA_OPTS:-} -Dforesight.home=$H -cp "$H/memory-lib/*" io.foresight.memory.cli.MemoryMain "$@"
fi
exec java ${FORESIGHT_JAVA_OPTS:-} -Dforesight.home=$H -cp "$H/lib/*:/opt/flink/lib/*" io.foresight.tools.cli.ForesightCli "$@"
