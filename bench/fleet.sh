#!/usr/bin/env bash
# Measures one Mixer with a simulated fleet (io.fluxrig.bench.fleet.FleetBench) and prints the table.
#   bench/fleet.sh                               100 and 1,000 racks (about 6 minutes on 2 cores)
#   FLUXRIG_FLEET_JAVA_OPTS=-Xmx8g bench/fleet.sh sizes=1000,5000   up to 5,000 racks (the simulator needs the heap)
#   bench/fleet.sh --build sizes=...             rebuild the bench module first
# Settings are key=value (see FleetBench): sizes, period (heartbeat ms, 5000), window (s, 60),
# busy (share of racks with moving gear counters, 0.1), basePort (27000), mixerOpts (-Xmx1g), data.
# Starts its own nats-server and a real Mixer (run/fluxrig mixer, built first when missing).
# The table also goes to bench/target/fleet.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_racks
bench_jar
# One selector thread per simulated rack (the JDK HTTP client's): small stacks; a 1 MiB HTTP/2
# stream window as racks use. A simulated rack costs about 1.5 MB of heap: for 5,000 racks set
# FLUXRIG_FLEET_JAVA_OPTS=-Xmx8g.
# shellcheck disable=SC2086
exec java -Xss256k ${FLUXRIG_FLEET_JAVA_OPTS:--Xmx3g} -Djdk.httpclient.windowsize=1048576 -cp "$JAR" io.fluxrig.bench.fleet.FleetBench root="$ROOT" "$@"
