#!/usr/bin/env bash
# End-to-end load benchmark of the payment-switch demo against a single-rack baseline, with real
# processes (nats-server, the issuer, rack JVMs, iso send), not run in CI. For each topology:
#   1. a warm-up (JIT) at full speed;
#   2. a rate search: iso send at rising --rate, each step for --step-seconds; the highest rate
#      whose p99 (counted from the intended send time: coordinated omission corrected) stays
#      within --p99-ms with every request answered is the "max sustained TPS" (the search stops
#      after two failing steps in a row: one noisy step on a shared machine does not end it);
#   3. a fixed-rate run at --fixed-tps for --fixed-seconds: p50, p99, p99.9, and the CPU time each
#      process spent per transaction (from /proc: the machine is shared, CPU is what limits).
# Topologies (each adds one hop to the one before, so the differences are the cost of that hop):
#   solo : one rack: iso8583.server -> decode -> iso8583.responder -> encode -> server (no wire, no HTTP)
#   wire : the demo with core's json.http replaced by a transform that approves (edge JSON
#          mappings + deadline + two JetStream wires + core rack, no HTTP)
#   demo : the demo as run/fluxrig demo starts it (adds json.http -> issuer REST call)
# For demo it also prints the per-hop breakdown from the messages' own path timestamps and
# JetStream's stored timestamps (bench/e2e/Hops.java).
#
#   bench/e2e/run.sh                       full run (~15 minutes): steps 20 s, fixed 1000 TPS for 120 s
#   bench/e2e/run.sh --quick               quick run (~5 minutes): steps 5 s, fixed 20 s
#   options: --fixed-tps N --fixed-seconds N --step-seconds N --rates "100 200 ..." --p99-ms N
#            --connections N --window N --only "solo wire demo" --base-port P --data DIR
# Prints the tables on stdout (Markdown); progress on stderr. Exit 0 whatever the numbers.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FLUXRIG="$ROOT/run/fluxrig"
CLI_CP="$ROOT/cli/target/fluxrig-cli.jar:$ROOT/cli/target/lib/*"

fixed_tps=1000 fixed_seconds=120 step_seconds=20 p99_ms=50 connections=100 window=1
rates="100 200 300 500 750 1000 1250 1500 2000 2500 3000 4000"
only="solo wire demo" base=24600 data=${TMPDIR:-/tmp}/fluxrig-bench-e2e
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
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench/e2e: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
say() { printf 'bench/e2e: %s\n' "$*" >&2; }

[[ -f $ROOT/run/target/rack.jar && -f $ROOT/cli/target/fluxrig-cli.jar ]] || "$FLUXRIG" build
command -v nats-server >/dev/null || { say "nats-server missing: run/fluxrig demo installs it"; exit 2; }
mkdir -p "$data"
data=$(cd "$data" && pwd)

iso_port=$((base + 2))
# One iso send run; prints its summary lines.
send() { "$FLUXRIG" iso send --port "$iso_port" --connections "$connections" --window "$window" "$@" 2>>"$data/iso-send.log"; }
field() { sed -nE "s/.*$1 ([0-9.]+).*/\1/p" <<< "$2" | head -n 1; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

declare -A MAX FIXED CPU
STEPS=
# measure NAME "name pid ...": warm-up, rate search, fixed run; fills MAX, FIXED and CPU for NAME.
measure() {
  local name=$1 procs=$2 out rate best=none p50 p99 answered sent timed failed=0 verdict
  say "$name: warm-up"
  send --count 10000 > /dev/null || true
  for rate in $rates; do
    out=$(send --rate "$rate" --count $((rate * step_seconds)) || true)
    p50=$(field p50 "$out"); p99=$(field p99 "$out"); sent=$(field sent "$out"); answered=$(field answered "$out"); timed=$(field timed-out "$out")
    say "$name: $rate TPS -> p50 ${p50:-?} p99 ${p99:-?} ms, answered ${answered:-?}/${sent:-?}, timed out ${timed:-?}"
    if [[ -n $p99 && $answered == "$sent" && $timed == 0 ]] && awk -v p="$p99" -v l="$p99_ms" 'BEGIN { exit !(p <= l) }'; then
      best=$rate failed=0 verdict=ok
    else
      failed=$((failed + 1)) verdict=over
    fi
    STEPS+="| $name | $rate | ${p50:-?} | ${p99:-?} | ${answered:-?}/${sent:-?} | $verdict |"$'\n'
    ((failed < 2)) || break
  done
  MAX[$name]=$best
  say "$name: $fixed_tps TPS for $fixed_seconds s"
  local -A before
  local n pid hz cpu=""
  hz=$(getconf CLK_TCK)
  for n in $procs; do [[ $n =~ ^[0-9]+$ ]] && before[$n]=$(cpu_ticks "$n"); done
  FIXED_SINCE_MS=$(($(date +%s%N) / 1000000))
  out=$(send --rate "$fixed_tps" --count $((fixed_tps * fixed_seconds)) || true)
  answered=$(field answered "$out")
  set -- $procs
  while (($#)); do
    n=$1 pid=$2; shift 2
    cpu+="$n $(awk -v a="$(cpu_ticks "$pid")" -v b="${before[$pid]}" -v hz="$hz" -v t="${answered:-0}" \
      'BEGIN { printf "%.3f", (t > 0 ? (a - b) * 1000 / hz / t : 0) }') · "
  done
  FIXED[$name]="$(field p50 "$out") | $(field p99 "$out") | $(sed -nE 's/.*p99\.9 ([0-9.]+).*/\1/p' <<< "$out") | $(field tps "$out") | ${answered:-?}/$(field sent "$out")"
  CPU[$name]=${cpu% · }
  say "$name: ${FIXED[$name]}"
}

pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$2/pids" | tail -n 1; }
iso_send_cpu_note="iso send (the terminals) runs on the same cores and is not counted"

for topo in $only; do
  case "$topo" in
    solo)
      say "solo: starting one rack (iso8583.server + responder) on port $iso_port"
      mkdir -p "$data/solo"
      cat > "$data/solo/patch.yaml" <<EOF
rack: solo
gears:
  terminals: { type: iso8583.server, config: { port: $iso_port, framing: binary2, max.connections: 500 } }
  decode: { type: iso8583.codec, config: { direction: decode, dialect: iso87ascii } }
  issuer: { type: iso8583.responder, config: { decline.amount.over: 100000 } }
  encode: { type: iso8583.codec, config: { direction: encode, dialect: iso87ascii } }
links:
  - terminals.out -> decode.in
  - decode.out -> issuer.in
  - issuer.out -> encode.in
  - encode.out -> terminals.in
EOF
      "$FLUXRIG" rack --name solo --data "$data/solo" --patch "$data/solo/patch.yaml" --console-port $((base + 3)) \
        --console-user bench --console-password "bench-$$-solo" > "$data/solo.log" 2>&1 &
      solo_pid=$!
      trap 'kill -TERM $solo_pid 2>/dev/null || true' EXIT
      for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$iso_port") 2>/dev/null && break; sleep 0.2; done
      measure solo "rack $solo_pid"
      kill -TERM "$solo_pid"; wait "$solo_pid" 2>/dev/null || true
      trap - EXIT
      ;;
    wire|demo)
      d="$data/$topo"
      say "$topo: starting the demo (NATS, issuer, racks edge and core; ports $base..$((base + 4)))"
      "$FLUXRIG" demo --keep --count 200 --connections 10 --base-port "$base" --data "$d" > "$data/$topo-demo.log" 2>&1 \
        || { say "$topo: the demo did not start (see $data/$topo-demo.log)"; continue; }
      trap '"$FLUXRIG" demo --stop --data "'"$d"'" >/dev/null 2>&1 || true' EXIT
      if [[ $topo == wire ]]; then
        sed -i -E 's/^    type: json.http$/    type: transform/; s/^    config: \{ url: .*$/    config: { set: [decision.response_code=00, decision.approved=true, decision.auth_code=123456] }/' \
          "$d/racks/core/patch.yaml"
        for _ in $(seq 300); do grep -q 'configuration fluxrig.gear.transform~issuer' "$d/logs/core.log" && break; sleep 0.2; done
        sleep 1
      fi
      measure "$topo" "nats $(pid_of nats "$d") issuer $(pid_of issuer "$d") edge $(pid_of edge "$d") core $(pid_of core "$d")"
      if [[ $topo == demo ]]; then
        HOPS=$(java -cp "$CLI_CP" "$ROOT/bench/e2e/Hops.java" "nats://127.0.0.1:$base" "$FIXED_SINCE_MS" "$d/nats/creds/admin.creds" 2>>"$data/hops.log" || true)
      fi
      "$FLUXRIG" demo --stop --data "$d" > /dev/null 2>&1 || true
      trap - EXIT
      ;;
    *) say "unknown topology $topo"; exit 2 ;;
  esac
done

echo "## fluxrig end-to-end: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$connections terminal connections, window $window; rate steps of $step_seconds s; fixed $fixed_tps TPS for $fixed_seconds s."
echo "Latency in ms from the intended send time (coordinated omission corrected), at the terminal."
echo
echo "| topology | max TPS with p99 ≤ $p99_ms ms | p50 @ $fixed_tps | p99 | p99.9 | achieved TPS | answered | CPU ms per transaction |"
echo "|---|---|---|---|---|---|---|---|"
for topo in $only; do
  echo "| $topo | ${MAX[$topo]:-n/a} | ${FIXED[$topo]:-n/a | n/a | n/a | n/a | n/a} | ${CPU[$topo]:-n/a} |"
done
echo
echo "Rate steps ($step_seconds s each; \"over\": p99 above $p99_ms ms or a request not answered in time):"
echo
echo "| topology | rate | p50 | p99 | answered | |"
echo "|---|---|---|---|---|---|"
printf '%s' "$STEPS"
echo
echo "Cost of each hop (difference of p50 / p99 at $fixed_tps TPS between consecutive topologies):"
echo
prev=""
for topo in $only; do
  if [[ -n $prev && -n ${FIXED[$topo]:-} && -n ${FIXED[$prev]:-} ]]; then
    read -r a50 a99 <<< "$(awk -F'|' '{print $1, $2}' <<< "${FIXED[$prev]}")"
    read -r b50 b99 <<< "$(awk -F'|' '{print $1, $2}' <<< "${FIXED[$topo]}")"
    case "$topo" in
      wire) what="edge JSON mappings + deadline + 2 JetStream wires + core rack" ;;
      demo) what="json.http -> issuer REST call (HTTP/1.1, JDK HttpClient and HttpServer)" ;;
      *) what="$topo" ;;
    esac
    awk -v w="$what" -v a="$a50" -v b="$b50" -v c="$a99" -v d="$b99" 'BEGIN { printf "- %s: p50 %+.3f ms, p99 %+.3f ms\n", w, b - a, d - c }'
  fi
  prev=$topo
done
if [[ -n ${HOPS:-} ]]; then
  echo
  echo "Demo topology, per hop, at $fixed_tps TPS (message path timestamps and JetStream stored times;"
  echo "the last hop, stored decision -> terminal, is the terminal's latency minus the sum):"
  echo
  echo "$HOPS"
fi
echo
echo "($iso_send_cpu_note; see bench/e2e/README.md for the caveats.)"
