# Sourced (not run) by the bench scripts: where things are and the jars they need, built when
# missing. After `source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"` (from bench/ or a folder under it):
#   BENCH (bench/), ROOT (the repository), JAR (bench/target/benchmarks.jar), CLI_CP (the CLI's class path);
#   BENCH_REBUILD=1 when the script's first argument was --build, which is taken off its arguments
#   (a sourced file without arguments shares the caller's positional parameters);
#   bench_jar [MODULES]  builds MODULES (default: bench) and what they need when --build was given or the jar is missing;
#   bench_racks          builds everything (run/fluxrig build) when the rack and Mixer jars were never built.
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
JAR="$BENCH/target/benchmarks.jar"
CLI_CP="$ROOT/cli/target/fluxrig-cli.jar:$ROOT/cli/target/lib/*"
BENCH_REBUILD=0
if [[ ${1:-} == --build ]]; then
  BENCH_REBUILD=1
  shift
fi

bench_jar() {
  if ((BENCH_REBUILD)) || [[ ! -f $JAR ]]; then
    echo "bench: building ${1:-bench} (mvn install, tests skipped)" >&2
    (cd "$ROOT" && mvn -q -B install -pl "${1:-bench}" -am -DskipTests)
  fi
}

bench_racks() {
  [[ -f $ROOT/run/target/build.ok ]] || "$ROOT/run/fluxrig" build
}
