#!/usr/bin/env bash
# Rack start-up figures, with real processes, not run in CI (it measures, asserts nothing):
#   cold start   : the rack JVM (run/target/rack.jar, as `run/fluxrig rack` starts it, fresh Felix
#                  cache) from its launch until it writes rack.ready and until its ISO 8583 server
#                  accepts a connection; the CPU time it spent until ready (/proc: moves far less with
#                  the machine's load than wall time); heap after a full GC once ready. The launcher
#                  step before it (the CLI JVM that prepares etc/ and prints the rack's command line)
#                  is timed on its own.
#   gear drop    : a rack without gear bundles (rack-base.jar) whose patch needs the iso8583 gears;
#                  once it is ready, gear.iso8583's jar is moved into its gears/ folder
#                  (bench/start/GearDrop.java) and the time is taken until the ISO 8583 server gear
#                  accepts a connection and until it answers a first 0200
# Both racks run the solo topology of bench/e2e (iso8583.server -> decode -> responder -> encode).
# The rack folders are prepared once (etc/, the console password's hash): each round is a restart.
# --before DIR adds the rack.jar and rack-base.jar in DIR (an earlier build) to every round, in
# alternating order, so a change is measured before and after in the same run.
#
#   bench/start/run.sh                   3 rounds
#   bench/start/run.sh --rounds 5 --base-port 26100 --data /tmp/start --before /tmp/old-jars
# Prints a Markdown table on stdout (with the load average before and after: on a shared
# machine the wall times measure the run queue as much as the rack); progress on stderr.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rounds=3 base=26100 data=${TMPDIR:-/tmp}/fluxrig-bench-start before=""
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --before) before=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench/start: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "bench/start: $*" >&2; }
bench_racks
[[ -z $before || (-f $before/rack.jar && -f $before/rack-base.jar) ]] || { say "--before $before: no rack.jar and rack-base.jar there"; exit 2; }
GEAR_JAR=$(ls "$ROOT"/gear.iso8583/target/gear.iso8583-*.jar | grep -v -e sources -e javadoc -e tests | head -n 1)
iso_port=$((base + 2))
hz=$(getconf CLK_TCK)

patch() { # patch FILE NAME
  cat > "$1" <<PATCH
rack: $2
gears:
  terminals: { type: iso8583.server, config: { port: $iso_port, framing: binary2 } }
  decode: { type: iso8583.codec, config: { direction: decode, dialect: iso87ascii } }
  issuer: { type: iso8583.responder, config: { decline.amount.over: 100000 } }
  encode: { type: iso8583.codec, config: { direction: encode, dialect: iso87ascii } }
links:
  - terminals.out -> decode.in
  - decode.out -> issuer.in
  - issuer.out -> encode.in
  - encode.out -> terminals.in
PATCH
}
ms_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.0f", (b - a) / 1e6 }'; }
cpu_s() { awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo "?"; }
heap_after_gc() {
  jcmd "$1" GC.run > /dev/null 2>&1 || { echo "?"; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | sed -nE 's/.* total ([0-9]+)K, used ([0-9]+)K.*/\2/p' | head -n 1 \
    | awk '{ printf "%.0f MB", $1 / 1024 }'
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# prepare DIR NAME CONSOLE_PORT [--base]: the rack's folder, etc/ and console credentials, by the
# launcher (timed: LAUNCHER_MS); its JVM command line in DIR/command (NUL-separated, folder first).
prepare() {
  local d=$1 name=$2 port=$3; shift 3
  mkdir -p "$d/gears"; patch "$d/patch.yaml" "$name"
  [[ -f $d/console.pw ]] || { head -c 18 /dev/urandom | base64 > "$d/console.pw"; chmod 600 "$d/console.pw"; }
  local t0; t0=$(date +%s%N)
  java -cp "$CLI_CP" io.fluxrig.cli.Main rack "$@" --name "$name" --data "$d" --patch "$d/patch.yaml" \
    --console-port "$port" --console-password-file "$d/console.pw" --print-command "$d/command"
  LAUNCHER_MS=$(ms_since "$t0")
}

# start DIR JAR: the prepared command with the rack jar replaced by JAR, in the background (PID in RACK);
# a restart: the framework cache and the readiness file of the last run are removed first.
start() {
  local d=$1 jar=$2 cmd=()
  mapfile -d '' -t cmd < "$d/command"
  local i
  for i in "${!cmd[@]}"; do [[ ${cmd[$i]} == *.jar && ${cmd[$((i - 1))]} == -jar ]] && cmd[$i]=$jar; done
  rm -rf "$d/cache" "$d/rack.ready"
  (cd "${cmd[0]}" && exec "${cmd[@]:1}") > "$d/rack.log" 2>&1 &
  RACK=$!
}

# cold VARIANT JAR: one cold start; prints "ready serving cpu heap"
cold() {
  local d="$data/cold" t0 ready="?" serving="?" cpu="?"
  t0=$(date +%s%N)
  start "$d" "$2"
  for _ in $(seq 6000); do
    if [[ $ready == "?" && -f $d/rack.ready ]]; then ready=$(ms_since "$t0"); cpu=$(cpu_s "$RACK"); fi
    [[ $serving == "?" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$iso_port") 2>/dev/null && serving=$(ms_since "$t0")
    [[ $ready != "?" && $serving != "?" ]] && break
    kill -0 "$RACK" 2>/dev/null || { say "the cold rack exited (see $d/rack.log)"; break; }
    sleep 0.01
  done
  local heap; heap=$(heap_after_gc "$RACK")
  stop "$RACK"
  echo "$ready $serving $cpu ${heap// /_}"
}

# drop VARIANT JAR: a base rack, then gear.iso8583 into gears/; prints "load listening answered"
drop() {
  local d="$data/drop"
  rm -f "$d"/gears/*.jar
  start "$d" "$2"
  for _ in $(seq 6000); do [[ -f $d/rack.ready ]] && break; kill -0 "$RACK" 2>/dev/null || break; sleep 0.02; done
  local out="listening_ms=? answered_ms=?" load="?"
  if [[ -f $d/rack.ready ]]; then
    load=$(cut -d' ' -f1 /proc/loadavg)
    out=$(java -cp "$CLI_CP" "$BENCH/start/GearDrop.java" "$iso_port" "$d/gears" "$GEAR_JAR" 2>>"$d/geardrop.log" \
      || echo "listening_ms=? answered_ms=? (see $d/geardrop.log)")
  else
    say "the base rack did not get ready (see $d/rack.log)"
  fi
  stop "$RACK"
  echo "$load $(sed -nE 's/.*listening_ms=([0-9?]+).*/\1/p' <<< "$out") $(sed -nE 's/.*answered_ms=([0-9?]+).*/\1/p' <<< "$out")"
}

rm -rf "$data"
prepare "$data/cold" cold $((base + 3)); cold_launcher=$LAUNCHER_MS
prepare "$data/drop" drop $((base + 4)) --base; drop_launcher=$LAUNCHER_MS
say "launcher (CLI JVM, first start: etc/ and the console password's hash): cold ${cold_launcher} ms, base ${drop_launcher} ms"
variants=("now")
[[ -n $before ]] && variants=("before" "now")
jar_of() { # jar_of VARIANT cold|drop
  local dir="$ROOT/run/target"
  [[ $1 == before ]] && dir=$before
  [[ $2 == cold ]] && echo "$dir/rack.jar" || echo "$dir/rack-base.jar"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=""
for round in $(seq "$rounds"); do
  order=("${variants[@]}")
  ((round % 2 == 0 && ${#variants[@]} == 2)) && order=("now" "before")
  for v in "${order[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    read -r ready serving cpu heap <<< "$(cold "$v" "$(jar_of "$v" cold)")"
    say "round $round $v: cold start ready ${ready} ms, serving ISO 8583 ${serving} ms, CPU ${cpu} s, heap ${heap//_/ }"
    read -r drop_load listen answer <<< "$(drop "$v" "$(jar_of "$v" drop)")"
    say "round $round $v: gear drop: listening ${listen} ms, first 0210 ${answer} ms"
    ROWS+="| $round | $v | $load | $ready | $serving | $cpu | ${heap//_/ } | $drop_load | $listen | $answer |"$'\n'
  done
done

echo "Rack start-up, $rounds rounds, $(nproc) cores, load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "(goals: cold start ≤ 2 s, idle heap ≤ 128 MB, gear dropped to first message ≤ 1 s; launcher step: ${cold_launcher} ms)"
echo
echo "| round | build | load (1 min) | rack JVM → rack.ready ms | → serving ISO 8583 ms | CPU s to ready | heap after GC | load at drop | drop → gear listening ms | drop → first 0210 ms |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s' "$ROWS"
