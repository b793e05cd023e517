#!/usr/bin/env bash
# Runs the wire benchmarks (plain mains, not JMH; each starts its own nats-server, Debian package):
#   bench/wire.sh publish [key=value ...]   WirePublishBenchmark: wire publish against raw jnats (about 30 s)
#   bench/wire.sh racks [key=value ...]     WireTwoRackBenchmark: two rack processes against one raw hop (about 1.5 min)
#   bench/wire.sh [--build] ...             --build rebuilds bench/target/benchmarks.jar and run/target/rack.jar first
# They print numbers and ratios and assert nothing. Run from anywhere; racks start through run/fluxrig.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
if [[ "${1:-}" == "--build" || ! -f "$jar" || ! -f "$root/run/target/rack.jar" ]]; then
  [[ "${1:-}" == "--build" ]] && shift
  (cd "$root" && mvn -q -B verify -pl run,bench -am -DskipTests)
fi
what=${1:-publish}
shift || true
java_cmd=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar")
case "$what" in
  publish) exec "${java_cmd[@]}" io.fluxrig.bench.WirePublishBenchmark "$@" ;;
  racks) exec "${java_cmd[@]}" io.fluxrig.bench.WireTwoRackBenchmark root="$root" "$@" ;;
  *) echo "usage: bench/wire.sh [--build] publish|racks [key=value ...]" >&2; exit 2 ;;
esac
