#!/usr/bin/env bash
# Runs the fluxrig benchmarks (JMH) and prints the report: tables and goal ratios.
#   bench/run.sh                      default, about 2.5 minutes on 2 cores
#   bench/run.sh --build ...          rebuild the bench module (and what it needs) first
#   bench/run.sh include=Codec        only the codec benchmarks (a JMH regex)
#   bench/run.sh forks=3 warmup=10 iterations=20 time=1s   a longer, steadier run
#   bench/run.sh iso [key=value ...] the ISO 8583 codec against jPOS (IsoCodecReport), about 2 minutes
#   bench/run.sh tracing [key=value ...] tracing off / on at ratios 1, 0.1, 0.01 / gear calls as events or failures only / collector down
#                                    (TracingReport; only=off,on,events runs those alone), about 2.5 minutes
# Settings are key=value (see io.fluxrig.bench.Report). JMH's JSON results go to
# bench/target/jmh-result.json. Exit code 0 whatever the numbers; 1 when a benchmark fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_jar
if [[ "${1:-}" == "tracing" ]]; then
  shift
  exec java -cp "$JAR" io.fluxrig.bench.TracingReport json="$BENCH/target/jmh-tracing.json" "$@"
fi
if [[ "${1:-}" == "iso" ]]; then
  shift
  exec java -cp "$JAR" io.fluxrig.bench.IsoCodecReport json="$BENCH/target/jmh-iso.json" "$@"
fi
exec java -cp "$JAR" io.fluxrig.bench.Report json="$BENCH/target/jmh-result.json" "$@"
