#!/usr/bin/env bash
# Runs the planner's JMH micro-benchmarks (planner/src/test/java/io/foresight/planner/jmh) from the
# repository root, against this tree's build (modules installed first with
#   mvn -B -q -o install -DskipTests).
#   planner/jmh.sh                      # every benchmark
#   planner/jmh.sh PlanBenchmark -f 1   # one class, any JMH options
#   BENCH_MAIN=io.foresight.planner.jmh.CpuTime planner/jmh.sh io.foresight.planner.jmh.PlanBenchmark
#                                       # the same methods in thread CPU time (see CpuTime)
#   BENCH_OLD=DIR BENCH_MAIN=io.foresight.planner.jmh.CpuTime planner/jmh.sh ...PlanBenchmark
#                                       # an older build's planner classes (DIR) side by side
# BENCH_CLASSES_FIRST=DIR puts DIR (an older build's planner classes) first on the classpath, so the
# same benchmarks measure that build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -o -pl planner test-compile
mvn -B -q -o -pl planner dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/test-classpath.txt
root="$(pwd)"
# This tree's sibling modules, not the copies installed in ~/.m2 by other trees.
deps="$(tr ':' '\n' < planner/target/test-classpath.txt | sed -E \
  "s#^.*/io/foresight/foresight-([a-z-]+)/[^/]+/foresight-[a-z-]+-[^/]+\.jar\$#$root/\1/target/classes#" | paste -sd:)"
cp="${BENCH_CLASSES_FIRST:+$BENCH_CLASSES_FIRST:}planner/target/test-classes:planner/target/classes:$deps"
exec java -cp "$cp" "${BENCH_MAIN:-org.openjdk.jmh.Main}" "$@"
