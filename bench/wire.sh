#!/usr/bin/env bash
# Runs the wire benchmarks (plain mains, not JMH; each starts its own nats-server, Debian package):
#   bench/wire.sh publish [key=value ...]   WirePublishBenchmark: wire publish against raw jnats (about 30 s)
#   bench/wire.sh racks [key=value ...]     WireTwoRackBenchmark: two rack processes against one raw hop (about 1.5 min)
#   bench/wire.sh [--build] ...             --build rebuilds bench/target/benchmarks.jar and run/target/rack.jar first
# They print numbers and ratios and assert nothing. Run from anywhere; racks start through run/fluxrig.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -f $ROOT/run/target/rack.jar ]] || BENCH_REBUILD=1
bench_jar run,bench
what=${1:-publish}
shift || true
java_cmd=(java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR")
case "$what" in
  publish) exec "${java_cmd[@]}" io.fluxrig.bench.WirePublishBenchmark "$@" ;;
  racks) exec "${java_cmd[@]}" io.fluxrig.bench.WireTwoRackBenchmark root="$ROOT" "$@" ;;
  *) echo "usage: bench/wire.sh [--build] publish|racks [key=value ...]" >&2; exit 2 ;;
esac
