#!/usr/bin/env bash
# Measures one Mixer with a simulated fleet (io.fluxrig.bench.fleet.FleetBench) and prints the table.
#   bench/fleet.sh                               100 and 1,000 racks (about 6 minutes on 2 cores)
#   bench/fleet.sh sizes=100,1000,5000 window=30  up to 5,000 racks (enrolment takes most of the time)
#   bench/fleet.sh --build sizes=...             rebuild the bench module first
# Settings are key=value (see FleetBench): sizes, period (heartbeat ms, 5000), window (s, 60),
# busy (share of racks with moving gear counters, 0.1), basePort (27000), mixerOpts (-Xmx1g), data.
# Starts its own nats-server and a real Mixer (run/fluxrig mixer, built first when missing).
# The table also goes to bench/target/fleet.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
[[ -f "$root/run/target/build.ok" ]] || "$root/run/fluxrig" build
if [[ "${1:-}" == "--build" ]]; then
  shift
  (cd "$root" && mvn -q -B install -pl bench -am -DskipTests)
elif [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -q -B install -pl bench -am -DskipTests)
fi
# Every simulated rack's connection shares two selector threads (test.support's SnakeConnector):
# no thread per rack, about 0.1 MB of heap per rack (bench/README.md, run D).
# shellcheck disable=SC2086
exec java ${FLUXRIG_FLEET_JAVA_OPTS:--Xmx3g} -cp "$jar" io.fluxrig.bench.fleet.FleetBench root="$root" "$@"
