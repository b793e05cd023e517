#!/usr/bin/env bash
# Rollouts measured on the payment switch (io.fluxrig.bench.roll.RollRunner): the demo
# (run/fluxrig demo --keep: its racks deployed by signed rollouts) at a steady load while rollouts
# replace gear.json on core and gear.iso8583 on edge (lost, duplicated, declined 96), then rollout
# and rollback times on 1, 3 and 5 extra base racks; prints the tables.
#   bench/roll.sh                                  both runs (~6 min)
#   bench/roll.sh runs=swap rate=300 seconds=60    only the swap under load
#   bench/roll.sh runs=times sizes=1,3,5 soak=5s   only the times
#   bench/roll.sh --build ...                      rebuild the bench module first
# Settings are key=value (see RollRunner): runs, rate, baseline, seconds, swapAt, connections, soak,
# sizes, waves, basePort (23100: uses P..P+6 and P+51..), data (/tmp/fluxrig-roll).
# Not run in CI. The tables also go to DATA.md (default /tmp/fluxrig-roll.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_racks
bench_jar
exec java -Xmx512m -cp "$JAR" io.fluxrig.bench.roll.RollRunner root="$ROOT" "$@"
