#!/usr/bin/env bash
# A real Spark standalone cluster on the loopback interface, from the Spark jars the build copies
# to target/spark-lib (no Spark distribution needed): one master and two worker JVMs of one core
# each. The evaluation is submitted to it (icld eval --spark spark://127.0.0.1:PORT) and run in
# one process, and the two reports are compared (scripts/spark/SameReport.java: equal but for the
# command line and the latencies). The cluster stops when the script ends.
#
#   scripts/spark/standalone.sh --model DIR --data DIR [--early-exit-model DIR] [--out DIR]
#       [--workers N] [--submit] [--cluster-only] [-- more icld eval options]
#
# By default the driver is ./icld and the executors read icld's classes from this checkout
# (spark.executor.extraClassPath). With --submit the evaluation goes through spark-submit's own
# entry point (org.apache.spark.deploy.SparkSubmit) with the shaded job jar
# (mvn -Pspark-job package), as on a cluster that shares nothing with this checkout.
# --cluster-only skips the in-process run and the comparison (scripts/spark/scale.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE
usage="usage: scripts/spark/standalone.sh --model DIR --data DIR [--early-exit-model DIR] [--out DIR] [--workers N] [-- eval options]"
model="" data="" exits="" out=build/spark-standalone workers=2 submit=0 compare=1 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    --early-exit-model) exits="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --submit) submit=1; shift ;;
    --cluster-only) compare=0; shift ;;
    --) shift; extra=("$@"); break ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ -n "$model" ] && [ -n "$data" ] || { echo "$usage" >&2; exit 2; }
./icld --version >/dev/null  # builds target/ when the sources are newer
root="$PWD"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# A worker starts executors from $SPARK_HOME/jars; without a distribution's build directories it
# must be told the Scala version of the jars.
export SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
home="$out/spark-home"
rm -rf "$home"
mkdir -p "$home/jars"
# A distribution's jars: Spark's (target/spark-lib), and the libraries it shares with icld, which
# Maven keeps once, in target/lib (SLF4J, commons-io...; icld's own classes are not there).
ln -s "$root"/target/spark-lib/*.jar "$home/jars/"
for jar in "$root"/target/lib/*.jar; do
  [ -e "$home/jars/$(basename "$jar")" ] || ln -s "$jar" "$home/jars/"
done
spark_java=(java "@$root/scripts/spark-jvm.options" -cp "$home/jars/*")
port=$(( 17000 + RANDOM % 2000 ))
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
"${spark_java[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port $(( port + 1 )) >"$out/master.log" 2>&1 &
pids+=($!)
for w in $(seq 1 "$workers"); do
  SPARK_HOME="$home" "${spark_java[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --cores 1 --memory 3g --webui-port $(( port + 1 + w )) --work-dir "$out/worker-$w" \
    "spark://127.0.0.1:$port" >"$out/worker-$w.log" 2>&1 &
  pids+=($!)
done
# The master's web UI says how many workers are alive (/json), read with bash alone.
alive_workers() {
  { exec 3<>"/dev/tcp/127.0.0.1/$(( port + 1 ))" &&
    printf 'GET /json/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
    tr -d ' \n' <&3 | grep -o '"aliveworkers":[0-9]*' | cut -d: -f2; } 2>/dev/null || echo 0
}
registered=0
for _ in $(seq 1 90); do
  registered=$(alive_workers)
  [ "${registered:-0}" -ge "$workers" ] && break
  sleep 1
done
[ "$registered" -ge "$workers" ] || { echo "standalone: workers did not register (logs in $out)" >&2; exit 1; }
echo "standalone: master spark://127.0.0.1:$port with $workers workers of one core"

args=(--model "$model" --data "$data")
[ -z "$exits" ] || args+=(--early-exit-model "$exits")
master="spark://127.0.0.1:$port"
if [ "$submit" = 1 ]; then
  [ -f target/icld-spark-job.jar ] || mvn -q -B -Pspark-job -DskipTests package
  time "${spark_java[@]}" -Dai.djl.offline=true org.apache.spark.deploy.SparkSubmit \
    --master "$master" --class dev.icld.cli.Main --conf spark.driver.host=127.0.0.1 \
    --conf spark.executor.memory=2g --conf spark.ui.enabled=false target/icld-spark-job.jar \
    eval "${args[@]}" "${extra[@]}" --out "$out/cluster" --spark submit --partitions $(( 2 * workers ))
else
  export ICLD_JAVA_OPTS="-Dspark.executor.extraClassPath=$root/target/icld.jar:$root/target/lib/* -Dspark.driver.host=127.0.0.1 -Dspark.executor.memory=2g -Dspark.ui.enabled=false ${ICLD_JAVA_OPTS:-}"
  time ./icld eval "${args[@]}" "${extra[@]}" --out "$out/cluster" --spark "$master" --partitions $(( 2 * workers ))
  unset ICLD_JAVA_OPTS
fi
[ "$compare" = 1 ] || exit 0
time ./icld eval "${args[@]}" "${extra[@]}" --out "$out/in-process"
java -cp "$(ls "$root"/target/lib/gson-*.jar)" scripts/spark/SameReport.java \
  "$out/in-process/report.json" "$out/cluster/report.json"
