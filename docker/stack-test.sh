#!/usr/bin/env bash
# The stack test: builds the image, starts docker-compose.yml with the demo profile (exactly what
# operators start), then breaks it on purpose and checks from the outside that nothing was lost:
#   kill-taskmanager   docker kill of the TaskManager running the job, mid-stream
#   kill-broker        docker kill of one broker of three
#   kill-memory        docker kill of one memory-store instance
#   stop-start         docker-compose stop, then up
#   savepoint-rescale  stop-with-savepoint, resume at parallelism 4
# and that robots reach goals, every frame became exactly one committed latent stored once in the
# memory store, and every stream's working memory was kept.
#
#   docker/stack-test.sh [--json FILE] [--keep]
#
# Installs what it needs (Docker, docker-compose, debootstrap; as root), starts dockerd when none
# runs, builds an offline base image (docker/base-image.sh) unless BASE_IMAGE names another.
# Traffic goes only to the stack's containers and to loopback. Exit code 0 when every check held.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JSON_OUT="$ROOT/target/stack-test/result.json"
KEEP=false
while [ $# -gt 0 ]; do
  case "$1" in
    --json) JSON_OUT="$(realpath -m "$2")"; shift 2 ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (--json FILE, --keep)" >&2; exit 2 ;;
  esac
done
WORK="$ROOT/target/stack-test"
mkdir -p "$WORK" "$(dirname "$JSON_OUT")"
rm -f "$WORK"/faults.jsonl "$WORK"/timeline.jsonl "$WORK"/audit.json
export COMPOSE_PROJECT_NAME=foresight-stack-test
export BASE_IMAGE=${BASE_IMAGE:-foresight-base:bookworm}
export FORESIGHT_ROBOTS=${FORESIGHT_ROBOTS:-4}
export JOB_PARALLELISM=2
BOOTSTRAP=localhost:29092,localhost:29093,localhost:29094
MEMORY=http://127.0.0.1:8090,http://127.0.0.1:8091
REST=http://127.0.0.1:8081
DC=(docker-compose --profile demo)
START=$(date +%s)

log() { echo "[stack-test $(( $(date +%s) - START ))s] $*"; }
now_ms() { date +%s%3N; }
fs() { "$ROOT/foresight" "$@"; }

# ------------------------------------------------------------------------------ set-up
install_missing() {
  local need=()
  command -v dockerd >/dev/null || need+=(docker.io)
  command -v docker-compose >/dev/null || need+=(docker-compose)
  command -v debootstrap >/dev/null || need+=(debootstrap)
  command -v python3 >/dev/null || need+=(python3)
  command -v curl >/dev/null || need+=(curl)
  if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "missing ${need[*]}: install them or run as root" >&2; exit 1; }
    log "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if ! docker info >/dev/null 2>&1; then
    log "starting dockerd"
    (dockerd >"$WORK/dockerd.log" 2>&1 &)
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || { tail -20 "$WORK/dockerd.log" >&2; exit 1; }
  fi
}

teardown() {
  mkdir -p "$WORK/logs"
  for s in $("${DC[@]}" config --services 2>/dev/null); do
    "${DC[@]}" logs --no-color --tail=3000 "$s" >"$WORK/logs/$s.log" 2>&1 || true
  done
  if [ "$KEEP" = false ]; then
    "${DC[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  [ -n "${WATCHER:-}" ] && kill "$WATCHER" 2>/dev/null || true
}

# ------------------------------------------------------------------------------ probes
py() { python3 -c "$@"; }

job_status() { fs cluster status --rest "$REST" --json 2>/dev/null || echo '{}'; }

# waits until the job is RUNNING at parallelism $1 with a completed checkpoint
await_job() {
  local want=$1 deadline=$(( $(date +%s) + ${2:-240} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if job_status | py "import json,sys; s=json.load(sys.stdin); sys.exit(0 if s.get('state')=='RUNNING' and s.get('parallelism')==$want and s.get('checkpoint_id',0)>0 else 1)"; then
      return 0
    fi
    sleep 3
  done
  echo "the job did not reach RUNNING at parallelism $want with a checkpoint" >&2
  job_status >&2
  return 1
}

# waits until a consumer saw the latent of a frame captured after $1 (ms); prints nothing
await_recovery() {
  local t1=$1 deadline=$(( $(date +%s) + ${2:-240} ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if py "
import json,sys
for line in open('$WORK/timeline.jsonl'):
    s=json.loads(line)
    if s['tMs']>=$t1 and s['latentFrameMaxMs']>$t1: sys.exit(0)
sys.exit(1)" 2>/dev/null; then
      return 0
    fi
    sleep 2
  done
  echo "no latent of a frame captured after the fault within the time allowed" >&2
  return 1
}

await_healthy() { # container
  local deadline=$(( $(date +%s) + 180 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(docker inspect -f '{{.State.Health.Status}}' "$1" 2>/dev/null)" = healthy ] && return 0
    sleep 2
  done
  echo "$1 did not become healthy" >&2
  return 1
}

container() { "${DC[@]}" ps -q "$1" | head -1; }

fault() { # name t0 (the fault) t1 (its action done) t2 (healed again)
  echo "{\"fault\":\"$1\",\"t0_ms\":$2,\"t1_ms\":$3,\"t2_ms\":$4}" >>"$WORK/faults.jsonl"
}

# the TaskManager container whose slots the job uses
busy_taskmanager() {
  local ips
  ips=$(curl -s "$REST/taskmanagers" | py "
import json,sys
for t in json.load(sys.stdin)['taskmanagers']:
    if t['freeSlots'] < t['slotsNumber']: print(t['path'].split('@')[1].split(':')[0])")
  for c in $("${DC[@]}" ps -q taskmanager); do
    local ip
    ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$c")
    if echo "$ips" | grep -qx "$ip"; then echo "$c"; return; fi
  done
  "${DC[@]}" ps -q taskmanager | head -1
}

# ------------------------------------------------------------------------------ the test
install_missing
trap teardown EXIT
log "building the image (base $BASE_IMAGE)"
docker/stage.sh
if [ "$BASE_IMAGE" = foresight-base:bookworm ]; then docker/base-image.sh "$BASE_IMAGE"; fi
"${DC[@]}" build -q >/dev/null
"${DC[@]}" down -v --remove-orphans >/dev/null 2>&1 || true

log "starting the stack with the demo profile"
"${DC[@]}" up -d 2>&1 | tail -3
await_job 2 300
log "job running: $(job_status)"
WATCHER_LOG="$WORK/watch.log"
# exec: $! is then the watcher's JVM itself, so that killing it stops it
(FORESIGHT_JAVA_OPTS=-Xmx256m exec "$ROOT/foresight" audit watch --bootstrap "$BOOTSTRAP" \
  --memory "$MEMORY" --out "$WORK/timeline.jsonl" >"$WATCHER_LOG" 2>&1) &
WATCHER=$!
T=$(now_ms)
await_recovery "$T" 240
deadline=$(( $(date +%s) + 240 ))
until "${DC[@]}" logs robots 2>/dev/null | grep -q "reached"; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "no robot reached a goal" >&2; exit 1; }
  sleep 5
done
log "robots reach goals; breaking things"
sleep 15

# 1. a TaskManager, mid-stream: the job fails over to the other one's slots
TM=$(busy_taskmanager)
t0=$(now_ms); docker kill "$TM" >/dev/null
log "killed TaskManager $(docker inspect -f '{{.Name}}' "$TM")"
await_recovery "$t0" 300
log "recovered; starting it again"
docker start "$TM" >/dev/null
await_job 2 300
fault kill-taskmanager "$t0" "$t0" "$(now_ms)"
sleep 15

# 2. one broker of three
B=$(container kafka-2)
t0=$(now_ms); docker kill "$B" >/dev/null
log "killed broker kafka-2"
await_recovery "$t0" 300
sleep 10
docker start "$B" >/dev/null
await_healthy "$B"
fault kill-broker "$t0" "$t0" "$(now_ms)"
log "kafka-2 back"
sleep 15

# 3. one memory-store instance: queries keep being answered by the other
M=$(container memory-1)
t0=$(now_ms); docker kill "$M" >/dev/null
log "killed memory-1"
await_recovery "$t0" 300
sleep 30
t2=$(now_ms)
docker start "$M" >/dev/null
await_healthy "$M"
fault kill-memory "$t0" "$t0" "$t2"
log "memory-1 back"
sleep 15

# 4. the whole stack stopped and started: volumes keep data and checkpoints
t0=$(now_ms)
"${DC[@]}" stop >/dev/null 2>&1
log "stack stopped"
sleep 5
"${DC[@]}" up -d >/dev/null 2>&1
t1=$(now_ms)
log "stack started again"
await_job 2 300
await_recovery "$t1" 300
fault stop-start "$t0" "$t1" "$(now_ms)"
sleep 15

# 5. stop with a savepoint, resume at parallelism 4
t0=$(now_ms)
SAVEPOINT=$("${DC[@]}" exec -T job foresight cluster stop --rest http://jobmanager:8081 | tail -1)
log "stopped with savepoint $SAVEPOINT"
export JOB_PARALLELISM=4
"${DC[@]}" up -d job >/dev/null 2>&1
t1=$(now_ms)
await_job 4 300
await_recovery "$t1" 300
fault savepoint-rescale "$t0" "$t1" "$(now_ms)"
log "running at parallelism 4"
sleep 30

# the end: robots stop (their statistics are written), the pipeline catches up
"${DC[@]}" stop -t 30 robots >/dev/null 2>&1
ROBOTS=$("${DC[@]}" ps -aq robots | head -1)
rm -rf "$WORK/robots"; docker cp "$ROBOTS:/data/robots" "$WORK/robots"
STATS=$(ls "$WORK"/robots/stats-*.json | paste -sd, -)
# robot processes started (one per container start) against the statistics files they left
ROBOT_STARTS=$("${DC[@]}" logs --no-color robots 2>/dev/null | grep -c "running .* robot(s) at" || true)
log "robots stopped; auditing"
sleep 5
kill "$WATCHER" 2>/dev/null || true; WATCHER=
set +e
fs audit check --bootstrap "$BOOTSTRAP" --memory "$MEMORY" --robot-stats "$STATS" \
  --faults "$WORK/faults.jsonl" --timeline "$WORK/timeline.jsonl" --wait 240s \
  --json "$WORK/audit.json" >"$WORK/audit.log" 2>&1
set -e
[ -s "$WORK/audit.json" ] || { cat "$WORK/audit.log" >&2; exit 1; }

# Prometheus metrics of the job (every Flink process) and of both memory-store instances
FLINK_METRICS=$(docker exec "$(container taskmanager)" http-get 9249 /metrics | grep -c '^flink_taskmanager_job_task_operator' || true)
JM_METRICS=$(docker exec "$(container jobmanager)" http-get 9249 /metrics | grep -c '^flink_jobmanager' || true)
MEM_METRICS=$(curl -s http://127.0.0.1:8090/metrics | grep -vc '^#' || true)
MEM2_METRICS=$(curl -s http://127.0.0.1:8091/metrics | grep -vc '^#' || true)
FINAL=$(job_status)
DASHBOARD=$(curl -s "$REST/" | grep -ci '<html' || true)

python3 - "$WORK/audit.json" "$JSON_OUT" "$FLINK_METRICS" "$JM_METRICS" "$MEM_METRICS" "$MEM2_METRICS" \
  "$FINAL" "$SAVEPOINT" "$(( $(date +%s) - START ))" "$DASHBOARD" "$STATS" "$ROBOT_STARTS" <<'PY'
import json, os, sys
audit = json.load(open(sys.argv[1]))
final = json.loads(sys.argv[7] or "{}")
out = {
    "frames": audit["frames"],
    "latents_distinct": audit["latents_distinct"],
    "duplicates": audit["duplicates"],
    "lost": audit["lost"],
    "unexpected": audit["unexpected"],
    "stored": audit["stored"],
    "stored_mismatch": audit["stored_mismatch"],
    "memory_resets": audit["memory_resets"],
    "goals_reached": audit["goals_reached"],
    "robot_starts": int(sys.argv[12] or 0),
    "robot_runs": [
        {"file": os.path.basename(f), "seconds": r["seconds"], "frames": r["frames_published"],
         "planned_steps": r["planned_steps"], "fresh_step_fraction": r["fresh_step_fraction"],
         "goals_reached": r["goals"]["reached"], "goals_timed_out": r["goals"]["timed_out"]}
        for f in sys.argv[11].split(",") if f
        for r in [json.load(open(f))]
    ],
    "faults": [
        {k: f[k] for k in ("fault", "frames", "lost", "duplicated", "memory_resets",
                           "recovery_s", "plans_pause_s", "queries")}
        for f in audit["faults"]
    ],
    "savepoint": sys.argv[8],
    "final_parallelism": final.get("parallelism"),
    "metrics": {"flink_operator_series": int(sys.argv[3]), "flink_jobmanager_series": int(sys.argv[4]),
                "memory_1_series": int(sys.argv[5]), "memory_2_series": int(sys.argv[6])},
    "seconds": int(sys.argv[9]),
    "flink_dashboard": int(sys.argv[10] or 0) > 0,
}
failures = []
if out["frames"] == 0: failures.append("no frames")
if out["lost"] or out["duplicates"] or out["unexpected"]: failures.append("frames lost or duplicated")
if out["stored_mismatch"]: failures.append("memory store counts differ from the committed latents")
if out["memory_resets"]: failures.append("a stream's working memory was reset")
if out["goals_reached"] == 0: failures.append("no goal reached")
if len(out["robot_runs"]) < out["robot_starts"]:
    failures.append("%d robot process(es) started, %d left statistics"
                    % (out["robot_starts"], len(out["robot_runs"])))
for f in out["faults"]:
    if f["recovery_s"] is None: failures.append(f["fault"] + ": no recovery")
    if f["lost"] or f["duplicated"]: failures.append(f["fault"] + ": frames lost or duplicated")
kinds = [f["fault"] for f in out["faults"]]
for k in ("kill-taskmanager", "kill-broker", "kill-memory", "stop-start", "savepoint-rescale"):
    if k not in kinds: failures.append(k + ": not run")
mem = next((f for f in out["faults"] if f["fault"] == "kill-memory"), None)
if mem and mem["queries"].get("http://127.0.0.1:8091", {}).get("answered", 0) == 0:
    failures.append("kill-memory: the other instance answered no query")
if out["final_parallelism"] != 4: failures.append("not running at parallelism 4 after the rescale")
if min(out["metrics"].values()) == 0: failures.append("a Prometheus endpoint has no series")
if not out["flink_dashboard"]: failures.append("Flink's web dashboard did not answer")
out["failures"] = failures
out["passed"] = not failures
text = json.dumps(out, indent=2)
open(sys.argv[2], "w").write(text + "\n")
print(text)
sys.exit(0 if not failures else 1)
PY
