#!/usr/bin/env bash
# What tracing costs, measured on running demos whose racks are switched between tracing modes by
# a configuration file each (as an operator would), so a mode is measured in processes that already
# ran the others: same JIT state, same NATS store. Between separately started demos the untraced
# demo alone moves by 10-20% from start to start.
#
# Two ways to line the modes up:
#   in turn (the default): one demo; each round measures every mode one after the other, the order
#      rotated by one per round, and each mode is paired with the same round's off. The whole
#      machine's speed drifts over minutes (an untraced minute costs up to 20% more CPU per
#      transaction than the one before it on this VM), which a minute-long pairing does not remove.
#   --side-by-side: two demos, one per mode, measured at the same time under the same load, so
#      what the machine does over that minute falls on both; the modes swap demos every round, so
#      what differs between the two demos falls on both modes. Takes exactly two modes.
#
#   1. starts the demo(s) with --otlp to an OTLP/HTTP sink that reads and discards (bench OtlpSink),
#      warms them up (--warm-up requests at 400 TPS, side by side 250 per demo), then runs every mode once unmeasured
#      (3 × --switch-count requests each), so the first measured round does not pay the JIT for
#      code paths that only a mode after it runs;
#   2. each round, for each mode: writes racks/<edge|core>/gears/fluxrig.telemetry.cfg, sends
#      --switch-count requests at 400 TPS, side by side 250 per demo (the change applies and the JIT settles on the new
#      code), then --seconds at --tps measured: CPU per transaction of nats-server, the issuer and
#      both racks (from /proc), p50/p99 at the terminal, and the spans each rack exported per
#      transaction (the SDK's own counter on the rack's /metrics endpoint: 0 proves the mode is off,
#      about 15 spans, about 6 events or with gear calls as failures only);
#   3. prints the medians over the rounds, and each mode's ratio to the first mode given (off, as
#      a rule) as the median of the rounds' own ratios (each round's mode against the same round's
#      first mode); and where each rack's CPU went, by thread, per mode.
# Modes: off (enabled=false), spans (every gear call a span), events (trace.gear.calls=event),
# failures (trace.gear.calls=failures: a gear call is a span only when it fails or declines unusually),
# ratio0.01 (sampler.ratio=0.01, keep-errors on: the default with a ratio), batch2048 (spans,
# exported in batches of up to 2048 at least every second from a queue of 8192), down (spans, the
# collector a closed port: every export refused).
# After each measured window both racks are collected (jcmd GC.run) and their heap in use after
# it is read (jcmd GC.heap_info): a collector that is down must not make it grow.
#
#   bench/e2e/tracing-ab.sh                         3 rounds of off spans events (about 25 minutes)
#   bench/e2e/tracing-ab.sh --side-by-side --modes "off spans" --rounds 6   (about 20 minutes)
#   options: --rounds N --modes "off spans events ratio0.01" --side-by-side --tps N --seconds N
#            --connections N --warm-up N --switch-count N --base-port P --data DIR
# Markdown on stdout, progress on stderr. Not run in CI (minutes of load on a quiet machine).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FLUXRIG="$ROOT/run/fluxrig"
rounds=3 modes="off spans events" tps=200 seconds=60 connections=20 warmup=60000 switch_count=8000 base=25400 side=false
data=${TMPDIR:-/tmp}/fluxrig-bench-tracing-ab
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --side-by-side) side=true; shift ;;
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
read -r -a mode_list <<< "$modes"
for m in "${mode_list[@]}"; do
  [[ $m =~ ^(off|spans|events|failures|ratio0\.01|batch2048|down)$ ]] || { say "unknown mode $m (off, spans, events, failures, ratio0.01, batch2048, down)"; exit 2; }
done
if $side && ((${#mode_list[@]} != 2)); then say "--side-by-side takes exactly two modes, not '$modes'"; exit 2; fi
demos=(0); $side && demos=(0 1)
[[ -f $ROOT/run/target/rack.jar && -f $ROOT/bench/target/benchmarks.jar ]] || "$FLUXRIG" build
rm -rf "$data"; mkdir -p "$data"; data=$(cd "$data" && pwd)
sink=$((base + 7)) closed=$((base + 8)) count=$((tps * seconds))
# Demo i: ports base+10i .. base+10i+6, data $data/demo<i>.
dir() { printf '%s/demo%s' "$data" "$1"; }
port() { printf '%d' $((base + 10 * $1 + $2)); }

java -cp "$ROOT/bench/target/benchmarks.jar" io.fluxrig.bench.OtlpSink port=$sink ready="$data/sink.ready" > "$data/sink.log" 2>&1 &
sink_pid=$!
stop_all() {
  local i
  for i in "${demos[@]}"; do "$FLUXRIG" demo --stop --data "$(dir "$i")" >/dev/null 2>&1 || true; done
  kill -TERM $sink_pid 2>/dev/null || true
}
trap stop_all EXIT
for _ in $(seq 100); do [[ -s $data/sink.ready ]] && break; kill -0 $sink_pid 2>/dev/null || break; sleep 0.1; done
# Without the sink every traced mode would measure a collector that refuses (as `down` does).
[[ -s $data/sink.ready ]] || { say "the OTLP sink did not start on port $sink (see $data/sink.log)"; exit 1; }
declare -A PID
HZ=$(getconf CLK_TCK)
for i in "${demos[@]}"; do
  say "starting demo $i (ports $(port "$i" 0)..$(port "$i" 6), OTLP sink on $sink)"
  "$FLUXRIG" demo --keep --count 200 --connections 10 --base-port "$(port "$i" 0)" --data "$(dir "$i")" \
    --otlp "http://127.0.0.1:$sink" > "$data/demo$i.log" 2>&1 || { say "demo $i did not start (see $data/demo$i.log)"; exit 1; }
  for p in edge core nats issuer; do PID[$i.$p]=$(awk -v n="$p" '$1 == n { print $2 }' "$(dir "$i")/pids"); done
  # The scrape's bearer token goes to curl in a header file (mode 0600), never in its arguments.
  for r in edge core; do
    (umask 077; printf 'Authorization: Bearer %s\n' "$(< "$(dir "$i")/racks/$r/metrics.token")" > "$data/$i.$r.auth")
  done
done
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# thread_ticks PID: CPU ticks of each of its threads, "tid<TAB>name<TAB>ticks" per line, the name
# as the kernel keeps it (15 characters) with digits folded to N, so a pool's threads add up.
thread_ticks() {
  local f
  for f in /proc/"$1"/task/*/stat; do cat "$f" 2>/dev/null || true; done | awk '
    { o = index($0, "("); c = 0; for (i = length($0); i > o; i--) if (substr($0, i, 1) == ")") { c = i; break }
      name = substr($0, o + 1, c - o - 1); gsub(/[0-9]+/, "N", name); split(substr($0, c + 2), a, " ")
      printf "%s\t%s\t%d\n", substr($0, 1, o - 2), name, a[12] + a[13] }'
}
# send DEMO OPTIONS: one iso send run against that demo; prints its two summary lines (sent/answered, then tps/latency)
send() {
  local i=$1; shift
  "$FLUXRIG" iso send --port "$(port "$i" 2)" --connections "$connections" --window 1 "$@" 2>>"$data/iso-send$i.log" | tail -n 2
}
# send_all OPTIONS: the same run against every demo at once; demo i's summary in $data/out<i>
send_all() {
  local i pids=()
  for i in "${demos[@]}"; do send "$i" "$@" > "$data/out$i" & pids+=($!); done
  wait "${pids[@]}"
}
# sdk_spans DEMO RACK: "exported dropped", the spans the rack's SDK exported, and those it dropped
# or failed to export (the series with an error type), since its telemetry configuration last
# changed (0 0 when tracing is off)
sdk_spans() {
  curl -sf -H @"$data/$1.$2.auth" "http://127.0.0.1:$(port "$1" $([[ $2 == edge ]] && echo 3 || echo 4))/metrics" \
    | awk '/^otel_sdk_exporter_span_exported_total/ && !/error_type=/ { e += $NF }
           /^otel_sdk_processor_span_processed_total/ && /error_type=/ { d += $NF }
           /^otel_sdk_exporter_span_exported_total/ && /error_type=/ { d += $NF }
           END { printf "%d %d", e, d }'
}
# heap_after_gc PID: MB of heap in use right after a full collection of that JVM
heap_after_gc() {
  jcmd "$1" GC.run > /dev/null
  jcmd "$1" GC.heap_info | awk '/ used [0-9]+K/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); printf "%.1f", v / 1024; exit } }'
}
# configure DEMO MODE
configure() {
  local r body="endpoint=http://127.0.0.1:$sink"$'\n'
  case $2 in
    off) body+="enabled=false"$'\n' ;;
    spans) body+="enabled=true"$'\n' ;;
    events) body+="enabled=true"$'\n'"trace.gear.calls=event"$'\n' ;;
    failures) body+="enabled=true"$'\n'"trace.gear.calls=failures"$'\n' ;;
    ratio0.01) body+="enabled=true"$'\n'"sampler.ratio=0.01"$'\n' ;;
    down) body="endpoint=http://127.0.0.1:$closed"$'\n'"enabled=true"$'\n' ;;
    batch2048) body+="enabled=true"$'\n'"queue.size=8192"$'\n'"export.batch.size=2048"$'\n'"export.delay.ms=1000"$'\n' ;;
  esac
  for r in edge core; do
    printf '%s' "$body" > "$(dir "$1")/racks/$r/gears/fluxrig.telemetry.cfg.tmp"
    mv "$(dir "$1")/racks/$r/gears/fluxrig.telemetry.cfg.tmp" "$(dir "$1")/racks/$r/gears/fluxrig.telemetry.cfg"
  done
}

# Side by side, both demos warm up and switch at once: 250 TPS each keeps the two cores from
# saturating, so the switch's requests are done when the measured minute starts.
fast=400; $side && fast=250
say "warm-up: $warmup requests at $fast TPS, then each mode once unmeasured"
send_all --rate "$fast" --count "$warmup"
for m in "${mode_list[@]}"; do
  for i in "${demos[@]}"; do configure "$i" "$m"; done
  send_all --rate "$fast" --count $((3 * switch_count))
done
declare -A V
field() { sed -nE "s/.*$1 ([0-9.]+).*/\1/p" <<< "$2" | head -n 1; }
# measure ROUND MODE... : demo i runs the i-th mode given, all at once; fills V[mode|round|...]
measure() {
  local round=$1 i p r m; shift
  local run=("$@")
  declare -A before=() spans0=() dropped0=()
  for i in "${demos[@]}"; do configure "$i" "${run[$i]}"; done
  send_all --rate "$fast" --count "$switch_count"
  for i in "${demos[@]}"; do
    for p in edge core nats issuer; do before[$i.$p]=$(ticks "${PID[$i.$p]}"); done
    for r in edge core; do
      read -r "spans0[$i.$r]" "dropped0[$i.$r]" <<< "$(sdk_spans "$i" "$r")"
      thread_ticks "${PID[$i.$r]}" > "$data/threads.$i.$r"
    done
  done
  send_all --rate "$tps" --count "$count"
  for i in "${demos[@]}"; do
    m=${run[$i]}
    for p in edge core nats issuer; do
      V[$m|$round|$p]=$(awk -v a="${before[$i.$p]}" -v b="$(ticks "${PID[$i.$p]}")" -v n="$count" -v hz="$HZ" 'BEGIN { printf "%.3f", (b - a) * 1000 / hz / n }')
    done
    for r in edge core; do
      local now_spans now_dropped
      read -r now_spans now_dropped <<< "$(sdk_spans "$i" "$r")"
      V[$m|$round|spans.$r]=$(awk -v a="${spans0[$i.$r]}" -v b="$now_spans" -v n="$count" 'BEGIN { printf "%.1f", (b - a) / n }')
      V[$m|$round|dropped.$r]=$(awk -v a="${dropped0[$i.$r]}" -v b="$now_dropped" -v n="$count" 'BEGIN { printf "%.1f", (b - a) / n }')
      # this round's ticks per thread, by name, added to the mode's total ("rack<TAB>name<TAB>ticks"): a
      # thread's ticks since the first reading (all of them when it started since); a thread that
      # ended in between took its ticks along, which the row "(threads that ended)" gives back as
      # the process's ticks that no living thread accounts for
      thread_ticks "${PID[$i.$r]}" | awk -F'\t' -v r="$r" -v total="$(awk -v a="${before[$i.$r]}" -v b="$(ticks "${PID[$i.$r]}")" 'BEGIN { print b - a }')" '
        NR == FNR { b[$1] = $3; next }
        { d = $3 - b[$1]; sum += d; printf "%s\t%s\t%d\n", r, $2, d }
        END { printf "%s\t(threads that ended)\t%d\n", r, total - sum }' "$data/threads.$i.$r" - >> "$data/threads.$m"
    done
    V[$m|$round|sum]=$(awk -v a="${V[$m|$round|edge]}" -v b="${V[$m|$round|core]}" -v c="${V[$m|$round|nats]}" -v e="${V[$m|$round|issuer]}" 'BEGIN { printf "%.3f", a + b + c + e }')
    out=$(< "$data/out$i")
    V[$m|$round|p50]=$(field p50 "$out"); V[$m|$round|p99]=$(field p99 "$out"); V[$m|$round|answered]=$(field answered "$out")
    V[$m|$round|demo]=$i
    V[$m|$round|heap.edge]=$(heap_after_gc "${PID[$i.edge]}"); V[$m|$round|heap.core]=$(heap_after_gc "${PID[$i.core]}")
    say "  $m$($side && echo " (demo $i)"): sum ${V[$m|$round|sum]} ms/tx (edge ${V[$m|$round|edge]}, core ${V[$m|$round|core]}, nats ${V[$m|$round|nats]}, issuer ${V[$m|$round|issuer]}), spans/tx edge ${V[$m|$round|spans.edge]} core ${V[$m|$round|spans.core]} (not exported ${V[$m|$round|dropped.edge]} + ${V[$m|$round|dropped.core]}), heap after GC ${V[$m|$round|heap.edge]} / ${V[$m|$round|heap.core]} MB, answered ${V[$m|$round|answered]}/$count"
  done
}
for round in $(seq "$rounds"); do
  # The order rotates by one mode per round: in turn, no mode is always the one measured right
  # after a switch from the same other mode (a fixed order showed the first mode of each round
  # highest); side by side, each mode runs on each demo in turn.
  order=()
  for i in "${!mode_list[@]}"; do order+=("${mode_list[$(((i + round - 1) % ${#mode_list[@]}))]}"); done
  if $side; then
    say "round $round/$rounds: ${order[0]} on demo 0, ${order[1]} on demo 1, at once ($switch_count requests each at $fast TPS to switch, then $seconds s at $tps TPS each)"
    measure "$round" "${order[@]}"
  else
    for m in "${order[@]}"; do
      say "round $round/$rounds: $m ($switch_count requests to switch, then $seconds s at $tps TPS)"
      measure "$round" "$m"
    done
  fi
done

median() {
  printf '%s\n' "$@" | awk '/^[0-9.]+$/' | sort -g \
    | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
med() { local r vals=(); for r in $(seq "$rounds"); do vals+=("${V[$1|$r|$2]:-}"); done; median "${vals[@]}"; }
# ratio M R: M's sum ÷ the first mode's sum in round R
first=${mode_list[0]}
ratio() { awk -v a="${V[$1|$2|sum]:-}" -v b="${V[$first|$2|sum]:-}" 'BEGIN { if (a ~ /^[0-9.]+$/ && b > 0) printf "%.3f", a / b }'; }
# paired M: the median over the rounds of M's ratio to the first mode in the same round
paired() { local r vals=(); for r in $(seq "$rounds"); do vals+=("$(ratio "$1" "$r")"); done; median "${vals[@]}"; }
# by_demo M: side by side, the geometric mean of M's median ratio on each demo (what differs between the demos cancels)
by_demo() {
  local r i per=()
  for i in 0 1; do
    local vals=()
    for r in $(seq "$rounds"); do [[ ${V[$1|$r|demo]} == "$i" ]] && vals+=("$(ratio "$1" "$r")"); done
    per+=("$(median "${vals[@]}")")
  done
  awk -v a="${per[0]}" -v b="${per[1]}" 'BEGIN { if (a > 0 && b > 0) printf "%.3f× (%.3f× on demo 0, %.3f× on demo 1)", sqrt(a * b), a, b; else print "n/a" }'
}
echo "## Tracing modes $($side && echo "side by side in two running demos" || echo "in one running demo"): $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
if $side; then
  echo "$rounds round(s); each: both modes at once, one per demo, the demos swapped every round; $seconds s at $tps TPS per demo, $connections terminals each; medians over the rounds."
else
  echo "$rounds round(s), modes alternating, the order rotated by one each round; each: $seconds s at $tps TPS, $connections terminals; medians over the rounds."
fi
echo "CPU in ms per transaction (user + system, /proc); spans: exported per transaction, and those dropped or refused, by the rack's SDK counters; heap: MB in use after a full collection at the end of each window, every round."
echo
echo "| mode | edge | core | nats-server | issuer | sum | sum ÷ $first (paired) | spans/tx edge + core | not exported/tx | heap after GC MB, edge / core | p50 / p99 ms | answered, every round |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
for m in "${mode_list[@]}"; do
  answered="" heap=""
  for r in $(seq "$rounds"); do answered+="${V[$m|$r|answered]:-?} "; heap+="${V[$m|$r|heap.edge]:-?} / ${V[$m|$r|heap.core]:-?}, "; done
  echo "| $m | $(med "$m" edge) | $(med "$m" core) | $(med "$m" nats) | $(med "$m" issuer) | $(med "$m" sum) | $(paired "$m")× | $(med "$m" spans.edge) + $(med "$m" spans.core) | $(med "$m" dropped.edge) + $(med "$m" dropped.core) | ${heap%, } | $(med "$m" p50) / $(med "$m" p99) | ${answered% } of $count |"
done
echo
echo "Per round (sum, ms/tx$($side && echo ", demo")): $(for m in "${mode_list[@]}"; do printf '%s ' "$m"; for r in $(seq "$rounds"); do printf '%s%s ' "${V[$m|$r|sum]:-?}" "$($side && echo "/${V[$m|$r|demo]:-?}")"; done; printf '· '; done)"
echo
echo "Where each rack's CPU goes, by thread (ms per transaction over all rounds; /proc/PID/task, names as the kernel keeps them, digits as N; the rows the modes differ in most first, rows under 0.005 left out):"
echo
printf '| rack | thread |'; for m in "${mode_list[@]}"; do printf ' %s |' "$m"; done; echo
printf '|---|---|'; for m in "${mode_list[@]}"; do printf -- '---:|'; done; echo
for m in "${mode_list[@]}"; do awk -F'\t' -v m="$m" '{ printf "%s\t%s\t%s\t%d\n", m, $1, $2, $3 }' "$data/threads.$m"; done \
  | awk -F'\t' -v modes="$modes" -v n="$((count * rounds))" -v hz="$HZ" '
      { t[$2 "\t" $3, $1] += $4; k[$2 "\t" $3] = 1 }
      END { split(modes, ms, " ")
        for (key in k) { lo = hi = -1; line = ""
          for (j = 1; j in ms; j++) { v = t[key, ms[j]] * 1000 / hz / n; line = line sprintf(" %.3f |", v)
            if (lo < 0 || v < lo) lo = v; if (v > hi) hi = v }
          split(key, kv, "\t"); if (hi >= 0.005) printf "%.6f\t| %s | %s |%s\n", hi - lo, kv[1], kv[2], line } }' \
  | sort -t$'\t' -k1,1gr | cut -f2-
if $side; then
  for m in "${mode_list[@]}"; do
    [[ $m == "$first" ]] && continue
    echo
    echo "$m ÷ $first per demo (the geometric mean of its median ratio on each demo): $(by_demo "$m")"
  done
fi
