#!/usr/bin/env bash
# End-to-end load benchmark of the payment-switch demo against a single-rack baseline, with real
# processes (nats-server, the issuer, rack JVMs, iso send), not run in CI. For each topology:
#   1. a warm-up at full speed: 10,000 requests, then more until the JVMs' JIT compilers take under
#      5% of the processes' CPU (at most --warm-up-max batches of 10,000, default 12);
#   2. a rate search: iso send at rising --rate, each step for --step-seconds; the highest rate
#      whose p99 (counted from the intended send time: coordinated omission corrected) stays
#      within --p99-ms with every request answered is the "max sustained TPS" (the search stops
#      after two failing steps in a row: one noisy step on a shared machine does not end it);
#   3. a fixed-rate run at --fixed-tps for --fixed-seconds: p50, p99, p99.9, and the CPU time each
#      process spent per transaction (from /proc: the machine is shared, CPU is what limits).
# Topologies (each adds one hop to the one before, so the differences are the cost of that hop):
#   raw  : the demo's work with nothing of fluxrig (bench/src/main/java/io/fluxrig/bench/raw: jnats and
#          the JDK): an edge process (ISO 8583 in, JSON request on a JetStream stream, 0210 out), a core
#          process (JetStream -> HTTP POST to the issuer -> JetStream), same stream and consumer settings
#   solo : one rack: iso8583.server -> decode -> iso8583.responder -> encode -> server (no wire, no HTTP)
#   wire : the demo with core's json.http replaced by a transform that approves (edge JSON
#          mappings + deadline + two JetStream wires + core rack, no HTTP)
#   demo : the demo as run/fluxrig demo starts it (adds json.http -> issuer REST call)
#   traced : the demo with --otlp: both racks trace every transaction (ratio 1.0) to an OTLP/HTTP
#            sink on port P+7 that takes and discards (bench OtlpSink)
#   traced-down : the demo with --otlp pointed at a closed port (P+8): a collector that is down
#   traced-events : as traced, with both racks recording gear calls as events on the span they run
#            in (trace.gear.calls=event in each rack's gears/fluxrig.telemetry.cfg, applied live)
# Before the rate search, every topology is measured at the ratio points (--ratio-rates, default
# 100 500 1000 TPS, --step-seconds each), and the report prints demo / raw for p50, p99 and CPU per
# transaction per process. --rounds N repeats everything N times (topologies alternate) and prints
# medians over the rounds. The load generator's own CPU (iso send) is printed per topology.
# For demo it also prints the per-hop breakdown from the messages' own path timestamps and
# JetStream's stored timestamps (bench/e2e/Hops.java).
#
#   bench/e2e/run.sh                       full run (about 32 minutes, warm-ups included): steps 20 s, fixed 1000 TPS for 120 s
#   bench/e2e/run.sh --quick               quick run: steps 5 s, fixed 20 s (about 5 minutes plus a warm-up of about 2 per topology)
#   options: --fixed-tps N --fixed-seconds N --step-seconds N --rates "100 200 ..." --p99-ms N
#            --connections N --window N --only "raw solo wire demo" --base-port P --data DIR
#            --rounds N --ratio-rates "100 500 1000" --no-search (ratio points and fixed run only)
#            --warm-up-max N
# Every CPU figure includes the JIT compiler threads of the JVMs; the report prints their share
# ("JIT") beside the sums, so a run still compiling shows it.
# Prints the tables on stdout (Markdown); progress on stderr. Exit 0 whatever the numbers.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FLUXRIG="$ROOT/run/fluxrig"
CLI_CP="$ROOT/cli/target/fluxrig-cli.jar:$ROOT/cli/target/lib/*"

fixed_tps=1000 fixed_seconds=120 step_seconds=20 p99_ms=50 connections=100 window=1
rates="100 200 300 500 750 1000 1250 1500 2000 2500 3000 4000"
only="raw solo wire demo" base=24600 rounds=1 ratio_rates="100 500 1000" search=1 data=${TMPDIR:-/tmp}/fluxrig-bench-e2e warmup_max=12
while (($#)); do
  case "$1" in
    --quick) step_seconds=5 fixed_seconds=20; shift ;;
    --fixed-tps) fixed_tps=$2; shift 2 ;;
    --fixed-seconds) fixed_seconds=$2; shift 2 ;;
    --step-seconds) step_seconds=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --p99-ms) p99_ms=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --ratio-rates) ratio_rates=$2; shift 2 ;;
    --warm-up-max) warmup_max=$2; shift 2 ;;
    --no-search) search=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d'; exit 0 ;;
    *) echo "bench/e2e: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { printf 'bench/e2e: %s\n' "$*" >&2; }

[[ -f $ROOT/run/target/rack.jar && -f $ROOT/cli/target/fluxrig-cli.jar && -f $ROOT/bench/target/benchmarks.jar ]] || "$FLUXRIG" build
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
command -v nats-server >/dev/null || { say "nats-server missing: run/fluxrig demo installs it"; exit 2; }
mkdir -p "$data"
data=$(cd "$data" && pwd)

iso_port=$((base + 2))
java_base=(-Djava.util.concurrent.ForkJoinPool.common.parallelism=2) # what run/fluxrig gives every JVM on 2 cores
# One iso send run; prints its summary lines; its own CPU time (user+sys, s) goes to $data/send.cpu.
send() {
  local TIMEFORMAT='%U %S'
  { time "$FLUXRIG" iso send --port "$iso_port" --connections "$connections" --window "$window" "$@" 2>>"$data/iso-send.log"; } 2> "$data/send.cpu"
}
field() { sed -nE "s/.*$1 ([0-9.]+).*/\1/p" <<< "$2" | head -n 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# jit_ticks PID: CPU ticks of the JVM's JIT compiler threads (0 for a process that has none, as nats-server).
# A thread's comm ("C2 CompilerThre") holds spaces, so its stat is read after the closing parenthesis.
jit_ticks() {
  local t sum=0 v
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == C[12]\ CompilerThre* ]] || continue
    v=$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}') && sum=$((sum + ${v:-0}))
  done
  echo "$sum"
}
# median of the numeric arguments (others skipped), or n/a
median() {
  printf '%s\n' "$@" | awk '/^[0-9.]+$/ { print }' | sort -g \
    | awk '{a[NR]=$1} END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f×", a / b; else printf "n/a" }'; }

# V["topo|round|key"]: every measured value. Keys: p50@R p99@R p999@R tps@R answered@R sent@R timed@R
# cpu.PROC@R (ms per transaction) gen@R (iso send, ms per transaction) max (max sustained TPS).
declare -A V
STEPS=
HZ=$(getconf CLK_TCK)
# point NAME ROUND RATE COUNT "proc pid ...": one iso send run at RATE (0 = full speed), recorded under NAME|ROUND.
point() {
  local name=$1 round=$2 rate=$3 count=$4 procs=$5 out n pid answered k jit=0
  local -A before jit_before
  set -- $procs
  while (($#)); do before[$2]=$(cpu_ticks "$2"); jit_before[$2]=$(jit_ticks "$2"); shift 2; done
  if ((rate > 0)); then out=$(send --rate "$rate" --count "$count" || true); else out=$(send --count "$count" || true); fi
  answered=$(field answered "$out")
  k="$name|$round"
  V[$k|p50@$rate]=$(field p50 "$out"); V[$k|p99@$rate]=$(field p99 "$out")
  V[$k|p999@$rate]=$(sed -nE 's/.*p99\.9 ([0-9.]+).*/\1/p' <<< "$out")
  V[$k|tps@$rate]=$(field tps "$out"); V[$k|answered@$rate]=$answered; V[$k|sent@$rate]=$(field sent "$out")
  V[$k|timed@$rate]=$(field timed-out "$out")
  set -- $procs
  while (($#)); do
    n=$1 pid=$2; shift 2
    V[$k|cpu.$n@$rate]=$(awk -v a="$(cpu_ticks "$pid")" -v b="${before[$pid]}" -v hz="$HZ" -v t="${answered:-0}" \
      'BEGIN { printf "%.3f", (t > 0 ? (a - b) * 1000 / hz / t : 0) }')
    jit=$((jit + $(jit_ticks "$pid") - ${jit_before[$pid]}))
  done
  V[$k|jit@$rate]=$(awk -v j="$jit" -v hz="$HZ" -v t="${answered:-0}" 'BEGIN { printf "%.3f", (t > 0 ? j * 1000 / hz / t : 0) }')
  V[$k|gen@$rate]=$(awk -v t="${answered:-0}" '{ printf "%.3f", (t > 0 ? ($1 + $2) * 1000 / t : 0) }' "$data/send.cpu" 2>/dev/null)
}
ok_at() { # ok_at KEY RATE: every request answered in time and p99 within the limit
  local k=$1 r=$2
  [[ -n ${V[$k|p99@$r]} && ${V[$k|answered@$r]} == "${V[$k|sent@$r]}" && ${V[$k|timed@$r]} == 0 ]] \
    && awk -v p="${V[$k|p99@$r]}" -v l="$p99_ms" 'BEGIN { exit !(p <= l) }'
}
# warm_up NAME "name pid ...": 10,000 requests at full speed, then more of them while the JVMs are
# still compiling: the JIT's thresholds (C2 after about 10,000-15,000 calls of a method) are
# crossed by code run once per transaction only after that many transactions, and compiling it
# on two cores takes tens of seconds of CPU that would otherwise land in the measured runs. Stops
# when the compiler threads took under 5% of the processes' CPU over the last 10,000, or after
# --warm-up-max batches.
warm_up() {
  local name=$1 i jit cpu p pids
  pids=$(awk '{ for (i = 2; i <= NF; i += 2) print $i }' <<< "$2") # "name pid name pid ..." -> the pids
  for i in $(seq "$warmup_max"); do
    jit=0 cpu=0
    for p in $pids; do jit=$((jit - $(jit_ticks "$p"))); cpu=$((cpu - $(cpu_ticks "$p"))); done
    send --count 10000 > /dev/null || true
    for p in $pids; do jit=$((jit + $(jit_ticks "$p"))); cpu=$((cpu + $(cpu_ticks "$p"))); done
    say "$name: warm-up $((i * 10000)) requests, JIT compilers $(awk -v j="$jit" -v c="$cpu" 'BEGIN { printf "%.0f", (c > 0 ? 100 * j / c : 0) }')% of the processes' CPU in the last 10,000"
    awk -v j="$jit" -v c="$cpu" 'BEGIN { exit !(c > 0 && j * 20 < c) }' && return 0
  done
  say "$name: still compiling after $warmup_max batches (--warm-up-max): the CPU figures include JIT work (column JIT)"
}

# measure NAME ROUND "name pid ...": warm-up, ratio points, rate search, fixed run.
measure() {
  local name=$1 round=$2 procs=$3 rate best=none failed=0 verdict k="$1|$2"
  warm_up "$name" "$procs"
  for rate in $ratio_rates; do
    ((rate == fixed_tps)) && continue # measured by the fixed run
    point "$name" "$round" "$rate" $((rate * step_seconds)) "$procs"
    say "$name: ratio point $rate TPS -> p50 ${V[$k|p50@$rate]:-?} p99 ${V[$k|p99@$rate]:-?} ms"
  done
  if ((search)); then
    for rate in $rates; do
      [[ -n ${V[$k|p99@$rate]:-} ]] || point "$name" "$round" "$rate" $((rate * step_seconds)) "$procs"
      say "$name: $rate TPS -> p50 ${V[$k|p50@$rate]:-?} p99 ${V[$k|p99@$rate]:-?} ms, answered ${V[$k|answered@$rate]:-?}/${V[$k|sent@$rate]:-?}"
      if ok_at "$k" "$rate"; then best=$rate failed=0 verdict=ok; else failed=$((failed + 1)) verdict=over; fi
      STEPS+="| $name | $round | $rate | ${V[$k|p50@$rate]:-?} | ${V[$k|p99@$rate]:-?} | ${V[$k|answered@$rate]:-?}/${V[$k|sent@$rate]:-?} | $verdict |"$'\n'
      ((failed < 2)) || break
    done
    V[$k|max]=$best
  fi
  say "$name: $fixed_tps TPS for $fixed_seconds s"
  FIXED_SINCE_MS=$(($(date +%s%N) / 1000000))
  point "$name" "$round" "$fixed_tps" $((fixed_tps * fixed_seconds)) "$procs"
  say "$name: p50 ${V[$k|p50@$fixed_tps]:-?} p99 ${V[$k|p99@$fixed_tps]:-?} ms, answered ${V[$k|answered@$fixed_tps]:-?}"
}

# heap_after_gc PID: MB of Java heap in use right after a full GC (jcmd GC.run, then GC.heap_info)
heap_after_gc() {
  jcmd "$1" GC.run > /dev/null 2>&1 || { echo "?"; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | sed -nE 's/.* total ([0-9]+)K, used ([0-9]+)K.*/\2 \1/p' | head -n 1 \
    | awk '{ printf "%.0f MB (of %.0f MB committed)", $1 / 1024, $2 / 1024 }'
}
pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$2/pids" | tail -n 1; }
await_file() { for _ in $(seq 600); do [[ -f $1 ]] && return 0; sleep 0.2; done; say "timed out waiting for $1"; return 1; }
PROCS_OF=()
declare -A PROCS
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

for round in $(seq "$rounds"); do
  order=$only
  ((round % 2 == 0)) && order=$(tr ' ' '\n' <<< "$only" | tac | tr '\n' ' ') # alternate the order: drift hits every topology alike
  for topo in $order; do
    case "$topo" in
      raw)
        d="$data/raw"
        rm -rf "$d"; mkdir -p "$d"
        say "raw: starting NATS, the issuer and the raw edge and core (ports $base..$((base + 2)))"
        nats-server -js -sd "$d/nats" -p "$base" -a 127.0.0.1 > "$d/nats.log" 2>&1 &
        raw_pids=$!
        trap 'kill -TERM $raw_pids 2>/dev/null || true' EXIT
        for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$base") 2>/dev/null && break; sleep 0.1; done
        java "${java_base[@]}" -cp "$CLI_CP" io.fluxrig.cli.Main issuer --port $((base + 1)) --limit 100000 \
          --ready-file "$d/issuer.ready" > "$d/issuer.log" 2>&1 &
        raw_issuer=$!; raw_pids+=" $raw_issuer"
        java "${java_base[@]}" -cp "$BENCH_JAR" io.fluxrig.bench.raw.RawSwitch core "nats=nats://127.0.0.1:$base" \
          "issuer=http://127.0.0.1:$((base + 1))/auth" "ready=$d/core.ready" > "$d/core.log" 2>&1 &
        raw_core=$!; raw_pids+=" $raw_core"
        java "${java_base[@]}" -cp "$BENCH_JAR" io.fluxrig.bench.raw.RawSwitch edge "nats=nats://127.0.0.1:$base" \
          "port=$iso_port" "ready=$d/edge.ready" > "$d/edge.log" 2>&1 &
        raw_edge=$!; raw_pids+=" $raw_edge"
        await_file "$d/issuer.ready" && await_file "$d/core.ready" && await_file "$d/edge.ready" \
          && PROCS[raw]="nats ${raw_pids%% *} issuer $raw_issuer edge $raw_edge core $raw_core" \
          && measure raw "$round" "${PROCS[raw]}"
        kill -TERM $raw_pids 2>/dev/null || true
        wait $raw_pids 2>/dev/null || true
        trap - EXIT
        ;;
      solo)
        say "solo: starting one rack (iso8583.server + responder) on port $iso_port"
        mkdir -p "$data/solo"
        cat > "$data/solo/patch.yaml" <<PATCH
rack: solo
gears:
  terminals: { type: iso8583.server, config: { port: $iso_port, framing: binary2, max.connections: 500, max.connections.per.address: 500 } }
  decode: { type: iso8583.codec, config: { direction: decode, dialect: iso87ascii } }
  issuer: { type: iso8583.responder, config: { decline.amount.over: 100000 } }
  encode: { type: iso8583.codec, config: { direction: encode, dialect: iso87ascii } }
links:
  - terminals.out -> decode.in
  - decode.out -> issuer.in
  - issuer.out -> encode.in
  - encode.out -> terminals.in
PATCH
        rm -rf "$data/solo/cache"
        t0=$(date +%s%N)
        "$FLUXRIG" rack --name solo --data "$data/solo" --patch "$data/solo/patch.yaml" --console-port $((base + 3)) \
          > "$data/solo.log" 2>&1 &
        solo_pid=$!
        trap 'kill -TERM $solo_pid 2>/dev/null || true' EXIT
        for _ in $(seq 3000); do (exec 3<>"/dev/tcp/127.0.0.1/$iso_port") 2>/dev/null && break; sleep 0.02; done
        V[solo|$round|start]=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
        say "solo: cold start to serving ISO 8583: ${V[solo|$round|start]} s"
        V[solo|$round|heap0]=$(heap_after_gc "$solo_pid")
        PROCS[solo]="rack $solo_pid"
        measure solo "$round" "rack $solo_pid"
        sleep 5
        V[solo|$round|heap]=$(heap_after_gc "$solo_pid")
        kill -TERM "$solo_pid"; wait "$solo_pid" 2>/dev/null || true
        trap - EXIT
        ;;
      wire|demo|traced|traced-down|traced-events)
        d="$data/$topo"
        otlp=() sink_pid=
        if [[ $topo == traced || $topo == traced-events ]]; then
          rm -f "$data/sink.ready"
          java "${java_base[@]}" -cp "$BENCH_JAR" io.fluxrig.bench.OtlpSink port=$((base + 7)) ready="$data/sink.ready" \
            > "$data/$topo-sink.log" 2>&1 &
          sink_pid=$!
          await_file "$data/sink.ready" || { kill -TERM "$sink_pid"; continue; }
          otlp=(--otlp "http://127.0.0.1:$((base + 7))")
        elif [[ $topo == traced-down ]]; then
          otlp=(--otlp "http://127.0.0.1:$((base + 8))") # nothing listens there
        fi
        say "$topo: starting the demo (NATS, issuer, racks edge and core; ports $base..$((base + 6))) ${otlp[*]}"
        "$FLUXRIG" demo --keep --count 200 --connections 10 --base-port "$base" --data "$d" "${otlp[@]}" > "$data/$topo-demo.log" 2>&1 \
          || { say "$topo: the demo did not start (see $data/$topo-demo.log)"; [[ -n $sink_pid ]] && kill -TERM "$sink_pid"; continue; }
        trap '"$FLUXRIG" demo --stop --data "'"$d"'" >/dev/null 2>&1 || true; [[ -n "'"$sink_pid"'" ]] && kill -TERM "'"$sink_pid"'" 2>/dev/null || true' EXIT
        if [[ $topo == traced-events ]]; then
          for r in edge core; do
            printf 'enabled=true\nendpoint=http://127.0.0.1:%s\ntrace.gear.calls=event\n' $((base + 7)) > "$d/racks/$r/gears/fluxrig.telemetry.cfg"
          done
          for r in edge core; do
            for _ in $(seq 300); do grep -q 'gear calls as events' "$d/logs/$r.log" && break; sleep 0.2; done
          done
          sleep 1
        fi
        if [[ $topo == wire ]]; then
          sed -i -E 's/^    type: json.http$/    type: transform/; s/^    config: \{ url: .*$/    config: { set: [decision.response_code=00, decision.approved=true, decision.auth_code=123456] }/' \
            "$d/racks/core/patch.yaml"
          for _ in $(seq 300); do grep -q 'configuration fluxrig.gear.transform~issuer' "$d/logs/core.log" && break; sleep 0.2; done
          sleep 1
        fi
        PROCS[$topo]="nats $(pid_of nats "$d") issuer $(pid_of issuer "$d") edge $(pid_of edge "$d") core $(pid_of core "$d")"
        measure "$topo" "$round" "${PROCS[$topo]}"
        sleep 5
        V[$topo|$round|heap]="edge $(heap_after_gc "$(pid_of edge "$d")") · core $(heap_after_gc "$(pid_of core "$d")")"
        if [[ $topo == demo ]]; then
          HOPS=$(java -cp "$CLI_CP" "$ROOT/bench/e2e/Hops.java" "tls://127.0.0.1:$base" "$FIXED_SINCE_MS" "$d/nats/creds/admin.creds" "$d/nats/tls/ca.crt" 2>>"$data/hops.log" || true)
        fi
        "$FLUXRIG" demo --stop --data "$d" > /dev/null 2>&1 || true
        if [[ -n $sink_pid ]]; then kill -TERM "$sink_pid"; wait "$sink_pid" 2>/dev/null || true; fi
        trap - EXIT
        ;;
      *) say "unknown topology $topo"; exit 2 ;;
    esac
  done
done

set +e # the report: a value that is missing prints n/a, it does not end the script
# med TOPO KEY: the median of KEY over the rounds
med() { local r vals=(); for r in $(seq "$rounds"); do vals+=("${V[$1|$r|$2]:-}"); done; median "${vals[@]}"; }
names_of() { local n i=0; for n in ${PROCS[$1]:-}; do ((i++ % 2 == 0)) && printf '%s ' "$n"; done; }
cpu_total() { # cpu_total TOPO RATE: median over rounds of the sum over processes
  local r n vals=()
  for r in $(seq "$rounds"); do
    # a round where the topology did not run (it failed to start) has no values and is left out
    vals+=("$(for n in $(names_of "$1"); do echo "${V[$1|$r|cpu.$n@$2]:-}"; done | awk '/^[0-9.]+$/ { s += $1; n++ } END { if (n) printf "%.3f", s }')")
  done
  median "${vals[@]}"
}

echo "## fluxrig end-to-end: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$connections terminal connections, window $window; $rounds round(s), medians over the rounds; ratio points and rate steps"
echo "of $step_seconds s; fixed $fixed_tps TPS for $fixed_seconds s. Latency in ms from the intended send time (coordinated"
echo "omission corrected), at the terminal. CPU in ms per transaction (user + system, from /proc)."
echo
echo "| topology | max TPS with p99 ≤ $p99_ms ms | p50 @ $fixed_tps | p99 | p99.9 | achieved TPS | answered (last round) | CPU ms per transaction | sum | of which JIT | iso send |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for topo in $only; do
  cpu=""
  for n in $(names_of "$topo"); do cpu+="$n $(med "$topo" "cpu.$n@$fixed_tps") · "; done
  echo "| $topo | $(med "$topo" max) | $(med "$topo" "p50@$fixed_tps") | $(med "$topo" "p99@$fixed_tps") | $(med "$topo" "p999@$fixed_tps") | $(med "$topo" "tps@$fixed_tps") | ${V[$topo|$rounds|answered@$fixed_tps]:-?}/${V[$topo|$rounds|sent@$fixed_tps]:-?} | ${cpu% · } | $(cpu_total "$topo" "$fixed_tps") | $(med "$topo" "jit@$fixed_tps") | $(med "$topo" "gen@$fixed_tps") |"
done
echo
if [[ " $only " == *" demo "* && ( " $only " == *" traced "* || " $only " == *" traced-down "* || " $only " == *" traced-events "* ) ]]; then
  echo "What tracing costs: the demo traced (every transaction, to a sink that discards) and with its collector down,"
  echo "against the same demo untraced, same run (medians; the ratio is X ÷ demo; goal: CPU ≤ 1.05× at full sampling):"
  echo
  tr_others=$(tr ' ' '\n' <<< "$only" | grep -xE 'traced|traced-down|traced-events' | tr '\n' ' ')
  head="| metric | demo |"; sep="|---|---|"
  for t in $tr_others; do head+=" $t | $t ÷ demo |"; sep+="---|---|"; done
  echo "$head"; echo "$sep"
  for m in p50 p99 p999; do
    line="| $m @ $fixed_tps TPS (ms) | $(med demo "$m@$fixed_tps") |"
    for t in $tr_others; do line+=" $(med "$t" "$m@$fixed_tps") | $(ratio "$(med "$t" "$m@$fixed_tps")" "$(med demo "$m@$fixed_tps")") |"; done
    echo "$line"
  done
  for n in edge core; do
    line="| CPU $n (ms/tx) | $(med demo "cpu.$n@$fixed_tps") |"
    for t in $tr_others; do line+=" $(med "$t" "cpu.$n@$fixed_tps") | $(ratio "$(med "$t" "cpu.$n@$fixed_tps")" "$(med demo "cpu.$n@$fixed_tps")") |"; done
    echo "$line"
  done
  line="| CPU, all processes (ms/tx) | $(cpu_total demo "$fixed_tps") |"
  for t in $tr_others; do line+=" $(cpu_total "$t" "$fixed_tps") | $(ratio "$(cpu_total "$t" "$fixed_tps")" "$(cpu_total demo "$fixed_tps")") |"; done
  echo "$line"
  line="| of which JIT compilers (ms/tx) | $(med demo "jit@$fixed_tps") |"
  for t in $tr_others; do line+=" $(med "$t" "jit@$fixed_tps") | |"; done
  echo "$line"
  for r in $(seq "$rounds"); do
    for t in demo $tr_others; do [[ -n ${V[$t|$r|heap]:-} ]] && echo "- round $r, $t racks, heap after GC idle after the run: ${V[$t|$r|heap]}"; done
  done
  echo
fi
if [[ " $only " == *" raw "* ]]; then
  others=$(tr ' ' '\n' <<< "$only" | grep -vx raw | tr '\n' ' ')
  echo "What the runtime costs: each topology against the raw floor (medians; the ratio is X ÷ raw):"
  echo
  head="| metric | raw |"; sep="|---|---|"
  for t in $others; do head+=" $t | $t ÷ raw |"; sep+="---|---|"; done
  echo "$head"; echo "$sep"
  for rate in $ratio_rates; do
    for m in p50 p99; do
      line="| $m @ $rate TPS (ms) | $(med raw "$m@$rate") |"
      for t in $others; do line+=" $(med "$t" "$m@$rate") | $(ratio "$(med "$t" "$m@$rate")" "$(med raw "$m@$rate")") |"; done
      echo "$line"
    done
  done
  for n in nats issuer edge core; do
    line="| CPU $n @ $fixed_tps TPS (ms/tx) | $(med raw "cpu.$n@$fixed_tps") |"
    for t in $others; do
      v=$(med "$t" "cpu.$n@$fixed_tps")
      line+=" $v | $(ratio "$v" "$(med raw "cpu.$n@$fixed_tps")") |"
    done
    echo "$line"
  done
  line="| CPU, all processes (ms/tx) | $(cpu_total raw "$fixed_tps") |"
  for t in $others; do line+=" $(cpu_total "$t" "$fixed_tps") | $(ratio "$(cpu_total "$t" "$fixed_tps")" "$(cpu_total raw "$fixed_tps")") |"; done
  echo "$line"
  for rate in $ratio_rates; do # the CPU per transaction grows as the rate falls (more wake-ups per message)
    ((rate == fixed_tps)) && continue
    line="| CPU, all processes @ $rate TPS (ms/tx) | $(cpu_total raw "$rate") |"
    for t in $others; do line+=" $(cpu_total "$t" "$rate") | $(ratio "$(cpu_total "$t" "$rate")" "$(cpu_total raw "$rate")") |"; done
    echo "$line"
  done
  echo
  if [[ " $only " == *" demo "* ]]; then
    echo "Goals (printed, never asserted):"
    echo
    goal() { awk -v v="$2" -v l="$3" -v w="$1" -v u="$4" 'BEGIN { if (v !~ /^[0-9.]+$/) printf "- %s: n/a\n", w; else printf "- %s: %s%s (goal ≤ %s%s) %s\n", w, v, u, l, u, (v + 0 <= l + 0 ? "goal met" : "goal NOT met") }'; }
    goal "demo CPU per transaction, all processes" "$(cpu_total demo "$fixed_tps")" 0.5 " ms"
    goal "demo ÷ raw CPU per transaction" "$(awk -v a="$(cpu_total demo "$fixed_tps")" -v b="$(cpu_total raw "$fixed_tps")" 'BEGIN { if (b > 0) printf "%.2f", a / b }')" 1.5 "×"
    goal "demo p50 @ 100 TPS" "$(med demo p50@100)" 2 " ms"
    goal "demo p99 @ 100 TPS" "$(med demo p99@100)" 10 " ms"
    goal "demo p99 @ $fixed_tps TPS for $fixed_seconds s" "$(med demo "p99@$fixed_tps")" 20 " ms"
    v=$(med demo max); awk -v v="$v" 'BEGIN { printf "- demo max TPS with p99 ≤ 50 ms: %s (goal ≥ 2000) %s\n", v, (v ~ /^[0-9]+$/ && v >= 2000 ? "goal met" : "goal NOT met") }'
    echo
  fi
fi
echo "Rack footprint (goals: cold start ≤ 2 s, idle heap after GC ≤ 128 MB):"
echo
for r in $(seq "$rounds"); do
  [[ -n ${V[solo|$r|start]:-} ]] && echo "- round $r, solo rack: cold start (JVM launch to serving ISO 8583, cache cleared) ${V[solo|$r|start]} s; heap after GC when ready ${V[solo|$r|heap0]:-?}, idle after the run ${V[solo|$r|heap]:-?}"
  for t in wire demo; do [[ -n ${V[$t|$r|heap]:-} ]] && echo "- round $r, $t racks, heap after GC idle after the run: ${V[$t|$r|heap]}"; done
done
echo "- a gear bundle dropped in gears/ to its first message: bench/start/run.sh measures it"
echo
if ((search)); then
  echo "Rate steps ($step_seconds s each; \"over\": p99 above $p99_ms ms or a request not answered in time):"
  echo
  echo "| topology | round | rate | p50 | p99 | answered | |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s' "$STEPS"
  echo
fi
if [[ -n ${HOPS:-} ]]; then
  echo "Demo topology, per hop, at $fixed_tps TPS, last round (message path timestamps and JetStream stored times;"
  echo "the last hop, stored decision -> terminal, is the terminal's latency minus the sum):"
  echo
  echo "$HOPS"
  echo
fi
echo "(iso send, the terminals, runs on the same cores: its CPU per transaction is the last column of the first table,"
echo "not counted in the sums; see bench/e2e/README.md for the caveats.)"
