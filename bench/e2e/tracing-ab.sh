#!/usr/bin/env bash
# What tracing costs, measured inside one running demo: the racks are switched between tracing
# modes by a configuration file each (as an operator would), so every mode runs in the same
# processes, same JIT state, same NATS store; the modes alternate and their order rotates per round. Between separately started
# demos (bench/e2e/run.sh topologies demo / traced) the untraced demo alone moves by 10-20% from
# start to start; here the same mode moves by a few percent from round to round.
#
#   1. starts the demo with --otlp to an OTLP/HTTP sink that reads and discards (bench OtlpSink),
#      warms it up (--warm-up requests at 400 TPS), then runs every mode once unmeasured
#      (3 × --switch-count requests each), so the first measured round does not pay the JIT for
#      code paths that only a mode after it runs;
#   2. each round, for each mode: writes racks/<edge|core>/gears/fluxrig.telemetry.cfg, sends
#      --switch-count requests at 400 TPS (the change applies and the JIT settles on the new
#      code), then --seconds at --tps measured: CPU per transaction of nats-server, the issuer and
#      both racks (from /proc), p50/p99 at the terminal, and the spans each rack exported per
#      transaction (the SDK's own counter on the rack's /metrics endpoint: 0 proves the mode is off,
#      about 15 spans, about 6 events);
#   3. prints the medians over the rounds, and each mode's ratio to off as the median of the
#      rounds' own ratios (each round's mode against the same round's off: the demo's CPU per
#      transaction drifts by several percent over minutes, which pairing within a round removes).
# Modes: off (enabled=false), spans (every gear call a span), events (trace.gear.calls=event),
# ratio0.01 (sampler.ratio=0.01, keep-errors on: the default with a ratio).
#
#   bench/e2e/tracing-ab.sh                         3 rounds of off spans events (about 25 minutes)
#   options: --rounds N --modes "off spans events ratio0.01" --tps N --seconds N --connections N
#            --warm-up N --switch-count N --base-port P --data DIR
# Markdown on stdout, progress on stderr. Not run in CI (minutes of load on a quiet machine).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FLUXRIG="$ROOT/run/fluxrig"
rounds=3 modes="off spans events" tps=200 seconds=60 connections=20 warmup=60000 switch_count=8000 base=25400
data=${TMPDIR:-/tmp}/fluxrig-bench-tracing-ab
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --tps) tps=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --warm-up) warmup=$2; shift 2 ;;
    --switch-count) switch_count=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d'; exit 0 ;;
    *) echo "bench/e2e/tracing-ab: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { printf 'bench/e2e/tracing-ab: %s\n' "$*" >&2; }
for m in $modes; do
  [[ $m =~ ^(off|spans|events|ratio0\.01)$ ]] || { say "unknown mode $m (off, spans, events, ratio0.01)"; exit 2; }
done
[[ -f $ROOT/run/target/rack.jar && -f $ROOT/bench/target/benchmarks.jar ]] || "$FLUXRIG" build
rm -rf "$data"; mkdir -p "$data"; data=$(cd "$data" && pwd)
d="$data/demo" sink=$((base + 7)) iso=$((base + 2)) count=$((tps * seconds))

java -cp "$ROOT/bench/target/benchmarks.jar" io.fluxrig.bench.OtlpSink port=$sink ready="$data/sink.ready" > "$data/sink.log" 2>&1 &
sink_pid=$!
trap '"$FLUXRIG" demo --stop --data "$d" >/dev/null 2>&1 || true; kill -TERM $sink_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [[ -s $data/sink.ready ]] && break; sleep 0.1; done
say "starting the demo (ports $base..$((base + 6)), OTLP sink on $sink)"
"$FLUXRIG" demo --keep --count 200 --connections 10 --base-port "$base" --data "$d" --otlp "http://127.0.0.1:$sink" > "$data/demo.log" 2>&1 \
  || { say "the demo did not start (see $data/demo.log)"; exit 1; }
pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$d/pids"; }
declare -A PID=([edge]=$(pid_of edge) [core]=$(pid_of core) [nats]=$(pid_of nats) [issuer]=$(pid_of issuer))
declare -A PORT=([edge]=$((base + 3)) [core]=$((base + 4)))
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
# send OPTIONS: one iso send run; prints its two summary lines (sent/answered, then tps/latency)
send() { "$FLUXRIG" iso send --port "$iso" --connections "$connections" --window 1 "$@" 2>>"$data/iso-send.log" | tail -n 2; }
# The scrape's bearer token goes to curl in a header file (mode 0600), never in its arguments.
for r in edge core; do
  (umask 077; printf 'Authorization: Bearer %s\n' "$(< "$d/racks/$r/metrics.token")" > "$data/$r.auth")
done
# exported RACK: spans the rack's SDK has exported since its telemetry configuration last changed (0 when tracing is off)
exported() {
  curl -sf -H @"$data/$1.auth" "http://127.0.0.1:${PORT[$1]}/metrics" \
    | awk '/^otel_sdk_exporter_span_exported_total/ { s += $NF } END { printf "%d", s }'
}
configure() {
  local r body="endpoint=http://127.0.0.1:$sink"$'\n'
  case $1 in
    off) body+="enabled=false"$'\n' ;;
    spans) body+="enabled=true"$'\n' ;;
    events) body+="enabled=true"$'\n'"trace.gear.calls=event"$'\n' ;;
    ratio0.01) body+="enabled=true"$'\n'"sampler.ratio=0.01"$'\n' ;;
  esac
  for r in edge core; do
    printf '%s' "$body" > "$d/racks/$r/gears/fluxrig.telemetry.cfg.tmp"
    mv "$d/racks/$r/gears/fluxrig.telemetry.cfg.tmp" "$d/racks/$r/gears/fluxrig.telemetry.cfg"
  done
}

say "warm-up: $warmup requests at 400 TPS, then each mode once unmeasured"
send --rate 400 --count "$warmup" > /dev/null
for m in $modes; do
  configure "$m"
  send --rate 400 --count $((3 * switch_count)) > /dev/null
done
declare -A V
field() { sed -nE "s/.*$1 ([0-9.]+).*/\1/p" <<< "$2" | head -n 1; }
read -r -a mode_list <<< "$modes"
for round in $(seq "$rounds"); do
  # The order rotates by one mode per round, so no mode is always the one measured right after a
  # switch from the same other mode (a fixed order showed the first mode of each round highest).
  order=()
  for i in "${!mode_list[@]}"; do order+=("${mode_list[$(((i + round - 1) % ${#mode_list[@]}))]}"); done
  for m in "${order[@]}"; do
    say "round $round/$rounds: $m ($switch_count requests to switch, then $seconds s at $tps TPS)"
    configure "$m"
    send --rate 400 --count "$switch_count" > /dev/null
    declare -A before=() spans0=()
    for p in edge core nats issuer; do before[$p]=$(ticks "${PID[$p]}"); done
    for r in edge core; do spans0[$r]=$(exported "$r"); done
    out=$(send --rate "$tps" --count "$count")
    for p in edge core nats issuer; do
      V[$m|$round|$p]=$(awk -v a="${before[$p]}" -v b="$(ticks "${PID[$p]}")" -v n="$count" -v hz="$HZ" 'BEGIN { printf "%.3f", (b - a) * 1000 / hz / n }')
    done
    for r in edge core; do
      V[$m|$round|spans.$r]=$(awk -v a="${spans0[$r]}" -v b="$(exported "$r")" -v n="$count" 'BEGIN { printf "%.1f", (b - a) / n }')
    done
    V[$m|$round|sum]=$(awk -v a="${V[$m|$round|edge]}" -v b="${V[$m|$round|core]}" -v c="${V[$m|$round|nats]}" -v e="${V[$m|$round|issuer]}" 'BEGIN { printf "%.3f", a + b + c + e }')
    V[$m|$round|p50]=$(field p50 "$out"); V[$m|$round|p99]=$(field p99 "$out"); V[$m|$round|answered]=$(field answered "$out")
    say "  $m: sum ${V[$m|$round|sum]} ms/tx (edge ${V[$m|$round|edge]}, core ${V[$m|$round|core]}, nats ${V[$m|$round|nats]}, issuer ${V[$m|$round|issuer]}), spans/tx edge ${V[$m|$round|spans.edge]} core ${V[$m|$round|spans.core]}, answered ${V[$m|$round|answered]}/$count"
  done
done

median() {
  printf '%s\n' "$@" | awk '/^[0-9.]+$/' | sort -g \
    | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
med() { local r vals=(); for r in $(seq "$rounds"); do vals+=("${V[$1|$r|$2]:-}"); done; median "${vals[@]}"; }
echo "## Tracing modes in one running demo: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$rounds round(s), modes alternating, the order rotated by one each round; each: $seconds s at $tps TPS, $connections terminals; medians over the rounds."
echo "CPU in ms per transaction (user + system, /proc); spans: exported per transaction, by the rack's SDK counter."
echo
echo "| mode | edge | core | nats-server | issuer | sum | sum ÷ off (paired) | spans/tx edge + core | p50 / p99 ms | answered, every round |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
# paired M: the median over the rounds of (M's sum ÷ off's sum in the same round)
paired() {
  local r vals=()
  for r in $(seq "$rounds"); do vals+=("$(awk -v a="${V[$1|$r|sum]:-}" -v b="${V[off|$r|sum]:-}" 'BEGIN { if (a ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b }')"); done
  median "${vals[@]}"
}
for m in $modes; do
  answered=""
  for r in $(seq "$rounds"); do answered+="${V[$m|$r|answered]:-?} "; done
  echo "| $m | $(med "$m" edge) | $(med "$m" core) | $(med "$m" nats) | $(med "$m" issuer) | $(med "$m" sum) | $(if [[ " $modes " == *" off "* ]]; then printf '%s×' "$(paired "$m")"; else printf 'n/a'; fi) | $(med "$m" spans.edge) + $(med "$m" spans.core) | $(med "$m" p50) / $(med "$m" p99) | ${answered% } of $count |"
done
echo
echo "Per round (sum, ms/tx): $(for m in $modes; do printf '%s ' "$m"; for r in $(seq "$rounds"); do printf '%s ' "${V[$m|$r|sum]:-?}"; done; printf '· '; done)"
