#!/usr/bin/env bash
# Measures one Mixer with a simulated fleet (io.fluxrig.bench.fleet.FleetBench) and prints the table.
#   bench/fleet.sh                               100 and 1,000 racks (about 6 minutes on 2 cores)
#   bench/fleet.sh sizes=100,1000,5000 window=30  up to 5,000 racks (enrolment takes most of the time)
#   bench/fleet.sh --build sizes=...             rebuild the bench module first
# inventory=digest (default: as racks send it) or full (the whole inventory in every heartbeat).
# Settings are key=value (see FleetBench): sizes, period (heartbeat ms, 5000), window (s, 60),
# busy (share of racks with moving gear counters, 0.1), basePort (27000), mixerOpts (-Xmx1g), data.
# Starts its own nats-server and a real Mixer (run/fluxrig mixer, built first when missing).
# The table also goes to bench/target/fleet.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_racks
bench_jar
# Every simulated rack's connection shares two selector threads (test.support's SnakeConnector):
# no thread per rack, about 0.1 MB of heap per rack (bench/README.md, run D).
# shellcheck disable=SC2086
exec java ${FLUXRIG_FLEET_JAVA_OPTS:--Xmx3g} -cp "$JAR" io.fluxrig.bench.fleet.FleetBench root="$ROOT" "$@"
