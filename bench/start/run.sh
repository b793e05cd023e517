#!/usr/bin/env bash
# Rack start-up figures, with real processes, not run in CI (it measures, asserts nothing):
#   cold start   : `run/fluxrig rack` launched (fresh Felix cache) until it writes rack.ready and
#                  until its ISO 8583 server accepts a connection; heap after a full GC once ready
#   gear drop    : a rack without gear bundles (`run/fluxrig rack --base`) whose patch needs the
#                  iso8583 gears; once it is ready, gear.iso8583's jar is moved into its gears/
#                  folder (bench/start/GearDrop.java) and the time is taken until the ISO 8583
#                  server gear accepts a connection and until it answers a first 0200
# Both racks run the solo topology of bench/e2e (iso8583.server -> decode -> responder -> encode).
#
#   bench/start/run.sh                   3 rounds
#   bench/start/run.sh --rounds 5 --base-port 26100 --data /tmp/start
# Prints a Markdown table on stdout (with the load average before and after: on a shared
# machine the figures measure the run queue as much as the rack); progress on stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FLUXRIG="$ROOT/run/fluxrig"
CLI_CP="$ROOT/cli/target/fluxrig-cli.jar:$ROOT/cli/target/lib/*"
rounds=3 base=26100 data=${TMPDIR:-/tmp}/fluxrig-bench-start
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench/start: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "bench/start: $*" >&2; }
[[ -f $ROOT/run/target/rack.jar && -f $ROOT/run/target/rack-base.jar && -f $ROOT/cli/target/fluxrig-cli.jar ]] \
  || { say "building (run/fluxrig build)"; "$FLUXRIG" build >&2; }
GEAR_JAR=$(ls "$ROOT"/gear.iso8583/target/gear.iso8583-*.jar | grep -v -e sources -e javadoc -e tests | head -n 1)
iso_port=$((base + 2))

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
heap_after_gc() {
  jcmd "$1" GC.run > /dev/null 2>&1 || { echo "?"; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | sed -nE 's/.* total ([0-9]+)K, used ([0-9]+)K.*/\2/p' | head -n 1 \
    | awk '{ printf "%.0f MB", $1 / 1024 }'
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=""
for round in $(seq "$rounds"); do
  # Cold start: the standard rack with its gears, a fresh framework cache.
  d="$data/cold"; rm -rf "$d"; mkdir -p "$d"; patch "$d/patch.yaml" cold
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s%N)
  "$FLUXRIG" rack --name cold --data "$d" --patch "$d/patch.yaml" --console-port $((base + 3)) > "$d/rack.log" 2>&1 &
  pid=$!
  ready="?" serving="?"
  for _ in $(seq 6000); do
    [[ $ready == "?" && -f $d/rack.ready ]] && ready=$(ms_since "$t0")
    [[ $serving == "?" ]] && (exec 3<>"/dev/tcp/127.0.0.1/$iso_port") 2>/dev/null && serving=$(ms_since "$t0")
    [[ $ready != "?" && $serving != "?" ]] && break
    kill -0 "$pid" 2>/dev/null || { say "the cold rack exited (see $d/rack.log)"; break; }
    sleep 0.01
  done
  heap=$(heap_after_gc "$pid")
  stop "$pid"
  say "round $round: cold start ready ${ready} ms, serving ISO 8583 ${serving} ms, heap ${heap}"

  # Gear drop: a rack without gear bundles, then gear.iso8583 into its gears/ folder.
  d="$data/drop"; rm -rf "$d"; mkdir -p "$d/gears"; patch "$d/patch.yaml" drop
  "$FLUXRIG" rack --base --name drop --data "$d" --patch "$d/patch.yaml" --console-port $((base + 4)) > "$d/rack.log" 2>&1 &
  pid=$!
  for _ in $(seq 6000); do [[ -f $d/rack.ready ]] && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.02; done
  drop="listening_ms=? answered_ms=?"
  if [[ -f $d/rack.ready ]]; then
    drop_load=$(cut -d' ' -f1 /proc/loadavg)
    drop=$(java -cp "$CLI_CP" "$ROOT/bench/start/GearDrop.java" "$iso_port" "$d/gears" "$GEAR_JAR" 2>>"$d/geardrop.log" \
      || echo "listening_ms=? answered_ms=? (see $d/geardrop.log)")
  else
    say "the base rack did not get ready (see $d/rack.log)"
  fi
  stop "$pid"
  say "round $round: gear drop: $drop"
  listen=$(sed -nE 's/.*listening_ms=([0-9?]+).*/\1/p' <<< "$drop")
  answer=$(sed -nE 's/.*answered_ms=([0-9?]+).*/\1/p' <<< "$drop")
  ROWS+="| $round | $load | $ready | $serving | $heap | ${drop_load:-?} | $listen | $answer |"$'\n'
done

echo "Rack start-up, $rounds rounds, $(nproc) cores, load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "(goals: cold start ≤ 2 s, idle heap ≤ 128 MB, gear dropped to first message ≤ 1 s)"
echo
echo "| round | load (1 min) | cold start: rack.ready ms | serving ISO 8583 ms | heap after GC | load at drop | drop → gear listening ms | drop → first 0210 ms |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s' "$ROWS"
