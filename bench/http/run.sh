#!/usr/bin/env bash
# The HTTP client behind json.http, measured: the JDK HttpClient against Jetty 12's client
# (io.fluxrig.bench.http.HttpClientLoad, one JVM per client and rate), both POSTing the demo's
# JSON authorisation request to the same issuer process (run/fluxrig issuer), at fixed rates.
# Rounds alternate the clients' order; the table prints the median over the rounds and
# Jetty ÷ JDK for the client process's CPU per request and p50/p99. Not run in CI; asserts nothing.
#   bench/http/run.sh                          rates 100 and 1000, 20 s each, 3 rounds (~6 minutes)
#   bench/http/run.sh --rounds 5 --rates "1000 2000" --seconds 30 --base-port 26300
#   bench/http/run.sh --build ...              rebuild the bench module first
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
rounds=3 rates="100 1000" seconds=20 warmup=10 base=26300 clients="jdk jetty"
while (($#)); do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --base-port) base=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bench/http: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
bench_racks
bench_jar
data=${TMPDIR:-/tmp}/fluxrig-bench-http
rm -rf "$data"; mkdir -p "$data"
java -cp "$CLI_CP" io.fluxrig.cli.Main issuer --port "$base" --limit 100000 --ready-file "$data/issuer.ready" > "$data/issuer.log" 2>&1 &
issuer=$!
trap 'kill $issuer 2>/dev/null || true' EXIT
for _ in $(seq 300); do [[ -f $data/issuer.ready ]] && break; sleep 0.1; done
[[ -f $data/issuer.ready ]] || { echo "bench/http: the issuer did not start (see $data/issuer.log)" >&2; exit 1; }
issuer_ticks() { awk '{ print $14 + $15 }' "/proc/$issuer/stat"; }
hz=$(getconf CLK_TCK)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A CPU P50 P99 ISS BAD
for round in $(seq "$rounds"); do
  order=$clients
  ((round % 2 == 0)) && order=$(tr ' ' '\n' <<< "$clients" | tac | tr '\n' ' ')
  for rate in $rates; do
    for c in $order; do
      t0=$(issuer_ticks)
      line=$(java -Xmx256m -cp "$JAR" io.fluxrig.bench.http.HttpClientLoad client="$c" url="http://127.0.0.1:$base/auth" \
        rate="$rate" seconds="$seconds" warmup="$warmup" || echo "client=$c rate=$rate failed (see above)")
      # The issuer's CPU over warm-up and measurement, per request (the server side, the same for both clients).
      iss=$(awk -v t="$(( $(issuer_ticks) - t0 ))" -v hz="$hz" -v n="$((rate * (seconds + warmup)))" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
      echo "bench/http: round $round: $line issuer_cpu_us_per_req=$iss" >&2
      k="$c/$rate"
      CPU[$k]+="$(sed -nE 's/.*cpu_us_per_req=([0-9.]+).*/\1/p' <<< "$line") "
      P50[$k]+="$(sed -nE 's/.*p50_ms=([0-9.]+).*/\1/p' <<< "$line") "
      P99[$k]+="$(sed -nE 's/.*p99_ms=([0-9.]+).*/\1/p' <<< "$line") "
      ISS[$k]+="$iss "
      BAD[$k]=$(( ${BAD[$k]:-0} + $(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(failed|unanswered)=[0-9]+$/) { split($i, kv, "="); n += kv[2] } } END { print n + 0 }' <<< "$line") ))
    done
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { tr ' ' '\n' <<< "$1" | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "–" hi }'; }
echo "HTTP client behind json.http, $rounds rounds, $(nproc) cores, load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
echo "| client | rate | client CPU µs/request (median, range) | p50 ms | p99 ms | issuer CPU µs/request | failed or unanswered (all rounds) |"
echo "|---|---|---|---|---|---|---|"
for rate in $rates; do
  for c in $clients; do
    k="$c/$rate"
    echo "| $c | $rate | $(median "${CPU[$k]}") ($(spread "${CPU[$k]}")) | $(median "${P50[$k]}") | $(median "${P99[$k]}") | $(median "${ISS[$k]}") | ${BAD[$k]:-0} |"
  done
done
echo
echo "| rate | jetty ÷ jdk: client CPU | p50 | p99 |"
echo "|---|---|---|---|"
for rate in $rates; do
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
  echo "| $rate | $(ratio "$(median "${CPU[jetty/$rate]}")" "$(median "${CPU[jdk/$rate]}")") | $(ratio "$(median "${P50[jetty/$rate]}")" "$(median "${P50[jdk/$rate]}")") | $(ratio "$(median "${P99[jetty/$rate]}")" "$(median "${P99[jdk/$rate]}")") |"
done
