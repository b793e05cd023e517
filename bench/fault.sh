#!/usr/bin/env bash
# Fault runs on the payment switch over a three-node NATS JetStream cluster with R3 wires
# (io.fluxrig.bench.fault.FaultRunner): the demo (run/fluxrig demo --cluster 3 --keep) at a steady
# rate while one fault family at a time hits the auth.requests stream leader; prints one table.
#   bench/fault.sh                                   kill, pause, partition, restart: 60 s each at 100 TPS (~10 min)
#   bench/fault.sh families=partition seconds=40     one family
#   bench/fault.sh --build ...                       rebuild the bench module first
# Settings are key=value (see FaultRunner): families, rate, seconds, connections, faultAt, hold,
# down, basePort (27100: uses P..P+6 and P+10..P+42), data (/tmp/fluxrig-fault).
# Not run in CI. The table also goes to DATA.md (default /tmp/fluxrig-fault.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_racks
bench_jar
exec java -Xmx512m -cp "$JAR" io.fluxrig.bench.fault.FaultRunner root="$ROOT" "$@"
