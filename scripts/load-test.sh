#!/usr/bin/env bash
# Memory under a long serving load (issue 13, part 4), on a model fine-tuned briefly from
# models/default on the tiny kws corpus (the weights' quality does not matter here, their size
# and the calls' paths do):
#   api: `icld load-test`, CALLS infer calls from THREADS threads on the Java API, budgets
#        changing per call (12, 9, 6, 3, 1, 0.25, adaptive:0.5), VmRSS sampled every 500 calls;
#   cli: one `icld infer --budget adaptive:0.5` process over the folder of FILES clips, given
#        CALLS/FILES times (the selector picks each clip's layers, so the depth changes per call),
#        its VmRSS read from /proc/PID/status each time another 500 lines are printed.
# Each prints the least-squares slope of the resident set in MiB per 1,000 calls and writes JSON:
# OUT/api.json, OUT/cli.json (default OUT: build/load). Both JVMs get a fixed heap, committed and
# touched at start (-Xms = -Xmx, AlwaysPreTouch): otherwise the resident set grows with the
# heap's own expansion up to its first major collection, which says nothing of what calls keep.
# Usage: scripts/load-test.sh [--calls N] [--threads N] [--files N] [--sample-every N] [--out DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE

usage="usage: scripts/load-test.sh [--calls N] [--threads N] [--files N] [--sample-every N] [--out DIR]"
calls=10000 threads=8 files=1000 out=build/load every=500
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
  case "$1" in
    --calls) calls="$2" ;;
    --threads) threads="$2" ;;
    --files) files="$2" ;;
    --sample-every) every="$2" ;;
    --out) out="$2" ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift 2
done
if [ $((calls % files)) -ne 0 ]; then
  echo "load-test: --calls ($calls) must be a multiple of --files ($files)" >&2
  exit 2
fi

./icld --version >/dev/null  # builds target/icld.jar when a source is newer
java=(java -Dai.djl.offline=true ${ICLD_JAVA_OPTS:-} -cp "target/icld.jar:target/lib/*" dev.icld.cli.Main)
data=build/kws-tiny
model="$out/model"
clips="$out/clips"

[ -f "$data/card.json" ] || "${java[@]}" synth --task kws --size tiny --seed 1 --out "$data"
if [ ! -f "$model/selector.safetensors" ]; then
  "${java[@]}" finetune --model models/default --task kws --data "$data" --out "$model" \
    --layer-drop random --depth-sampling uniform-k --max-steps 6 --seed 1
  "${java[@]}" train-selector --model "$model" --data "$data" --max-steps 4 --seed 1
fi
if [ "$(find "$clips" -name 'clip-*.wav' 2>/dev/null | wc -l)" -ne "$files" ]; then
  rm -rf "$clips"
  mkdir -p "$clips"
  mapfile -t sources < <(find "$data/audio" -name '*.wav' | sort)
  for ((i = 0; i < files; i++)); do
    cp "${sources[$((i % ${#sources[@]}))]}" "$(printf '%s/clip-%05d.wav' "$clips" "$i")"
  done
fi

measured=(java -Dai.djl.offline=true -Xms1g -Xmx1g -XX:+AlwaysPreTouch ${ICLD_JAVA_OPTS:-}
  -cp "target/icld.jar:target/lib/*" dev.icld.cli.Main)
echo "== api: $calls calls from $threads threads"
"${measured[@]}" load-test --model "$model" --clips "$clips" --calls "$calls" --threads "$threads" \
  --sample-every "$every" --json "$out/api.json" 2> >(grep -v 'Warning: ' >&2)

echo "== cli: icld infer over $clips, $((calls / files)) times ($calls calls)"
folders=()
for ((i = 0; i < calls / files; i++)); do folders+=("$clips"); done
lines="$out/cli-output.txt"
samples="$out/cli-samples.tsv"
: >"$lines"
"${measured[@]}" infer --model "$model" --budget adaptive:0.5 "${folders[@]}" >"$lines" \
  2> >(grep -v 'Warning: ' >&2) &
pid=$!
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true; }
started=$(date +%s%N)
# The first reading once the model has answered its first file, then one per 500 lines.
next=1
: >"$samples"
while kill -0 "$pid" 2>/dev/null; do
  done_lines=$(wc -l <"$lines")
  if [ "$done_lines" -ge "$next" ]; then
    kb=$(rss)
    [ -n "$kb" ] && printf '%d\t%s\t%d\n' "$done_lines" "$kb" \
      $(( ($(date +%s%N) - started) / 1000000 )) >>"$samples"
    next=$(( (done_lines / every + 1) * every ))
  fi
  sleep 0.2
done
wait "$pid" || { echo "load-test: icld infer failed (exit $?)" >&2; exit 1; }
answered=$(wc -l <"$lines")
awk -v calls="$calls" -v answered="$answered" -v json="$out/.cli.json.tmp" -F '\t' '
  { x[NR] = $1; y[NR] = $2 / 1024; t[NR] = $3 / 1000; n = NR }
  function slope(from,   i, mx, my, sxy, sxx, m) {
    m = 0; mx = 0; my = 0
    for (i = from; i <= n; i++) { mx += x[i]; my += y[i]; m++ }
    mx /= m; my /= m; sxy = 0; sxx = 0
    for (i = from; i <= n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ^ 2 }
    return 1000 * sxy / sxx
  }
  END {
    half = 1; while (half < n && 2 * x[half] < calls) half++
    for (i = 1; i <= n; i++) printf "calls %6d  %7.1f s  resident %7.1f MiB\n", x[i], t[i], y[i]
    printf "%d of %d calls answered in %.1f s; resident set slope %+.3f MiB per 1,000 calls (second half %+.3f)\n", \
      answered, calls, t[n], slope(1), slope(half)
    printf "{\n  \"calls\": %d,\n  \"answered\": %d,\n  \"resident_slope_mib_per_1000_calls\": %.4f,\n  \"second_half_resident_slope_mib_per_1000_calls\": %.4f,\n  \"samples\": [", \
      calls, answered, slope(1), slope(half) > json
    for (i = 1; i <= n; i++) printf "%s\n    {\"calls\": %d, \"resident_kib\": %d, \"seconds\": %.1f}", (i > 1 ? "," : ""), x[i], y[i] * 1024, t[i] > json
    printf "\n  ]\n}\n" > json
  }' "$samples"
mv "$out/.cli.json.tmp" "$out/cli.json"
[ "$answered" -eq "$calls" ] || { echo "load-test: the CLI answered $answered of $calls calls" >&2; exit 1; }
echo "figures: $out/api.json, $out/cli.json"
