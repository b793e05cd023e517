#!/usr/bin/env bash
# Fault runs on the payment switch over a three-node NATS JetStream cluster with R3 wires
# (io.fluxrig.bench.fault.FaultRunner): the demo (run/fluxrig demo --cluster 3 --cores 2 --keep) at a
# steady rate while one fault at a time hits it: the auth.requests stream leader (kill, kill2, pause,
# partition, restart) or a rack (core, edge); prints one table, a row per trial.
#   bench/fault.sh                                   every family once: 60 s each at 100 TPS (~15 min)
#   bench/fault.sh families=partition seconds=40     one family
#   bench/fault.sh seeds=10                          ten seeds per family (~2.5 h on 2 cores)
#   bench/fault.sh --build ...                       rebuild the bench module first
# Settings are key=value (see FaultRunner): families, seeds, seed, rate, seconds, connections, faultAt,
# jitter, hold, down, cores, edges, basePort (27100: uses P..P+6, P+10..P+42, and P+52.., P+63.., P+74..
# for edges and cores beyond the first), data (/tmp/fluxrig-fault).
# Not run in CI. The table also goes to DATA.md (default /tmp/fluxrig-fault.md), row by row.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_racks
bench_jar
exec java -Xmx512m -cp "$JAR" io.fluxrig.bench.fault.FaultRunner root="$ROOT" "$@"
