#!/usr/bin/env bash
# Throughput of structured inputs against plain text with the same content:
# the generated Japanese business text as is, as a two-column CSV (one line
# a quoted cell), as JSONL ({"id": n, "text": line}), as an mbox (a message
# every 40 lines, 8bit UTF-8 bodies), and as Shift_JIS text and CSV.
# Default policy, -j THREADS, output to /dev/null. Each input runs RUNS
# times interleaved with the others (the machine may be shared); the best
# wall time is shown with its CPU seconds (user + system) and the largest
# peak RSS seen.
#   bash benches/formats_throughput.sh [SIZE_MB] [RUNS] [THREADS]   (64, 3, 2)
# MASK=path/to/mask uses that binary instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-64}
runs=${2:-3}
threads=${3:-2}
target=${CARGO_TARGET_DIR:-target}
if [ -z "${MASK:-}" ]; then
  cargo build --release --quiet --bin mask --example bench_text
  MASK="$target/release/mask"
fi
cargo build --release --quiet --example bench_text
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$target/release/examples/bench_text" "$size" > "$dir/in.txt"
awk 'BEGIN { print "id,本文" } { gsub(/"/, "\"\""); printf "%d,\"%s\"\r\n", NR, $0 }' "$dir/in.txt" > "$dir/in.csv"
awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); printf "{\"id\":%d,\"text\":\"%s\"}\n", NR, $0 }' "$dir/in.txt" > "$dir/in.jsonl"
awk 'NR % 40 == 1 { if (NR > 1) print ""; n++
       printf "From s%d@example.jp Mon Jan  1 00:00:00 2024\nFrom: s%d@example.jp\nSubject: %d\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n", n, n, n }
     { sub(/^From /, ">From "); print }' "$dir/in.txt" > "$dir/in.mbox"
iconv -f UTF-8 -t CP932 -c "$dir/in.txt" > "$dir/in.sjis.txt" || true
iconv -f UTF-8 -t CP932 -c "$dir/in.csv" > "$dir/in.sjis.csv" || true
names=(text csv jsonl mbox sjis-text sjis-csv)
files=(in.txt in.csv in.jsonl in.mbox in.sjis.txt in.sjis.csv)
declare -A best cpu rss
for ((r = 0; r < runs; r++)); do
  for i in "${!names[@]}"; do
    n=${names[$i]}
    /usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$MASK" -q -j "$threads" "$dir/${files[$i]}" > /dev/null
    read -r secs user sys kb < "$dir/time"
    if [ -z "${best[$n]:-}" ] || awk -v a="$secs" -v b="${best[$n]}" 'BEGIN { exit !(a < b) }'; then
      best[$n]=$secs
      cpu[$n]=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    fi
    if [ -z "${rss[$n]:-}" ] || [ "$kb" -gt "${rss[$n]}" ]; then rss[$n]=$kb; fi
  done
done
text_rate=""
printf '%-10s %8s %8s %8s %8s %8s %s\n' input MB wall MB/s CPU-s vs-text "peak RSS"
for i in "${!names[@]}"; do
  n=${names[$i]}
  bytes=$(stat -c %s "$dir/${files[$i]}")
  rate=$(awk -v b="$bytes" -v s="${best[$n]}" 'BEGIN { print b / 1e6 / (s > 0 ? s : 0.001) }')
  [ -z "$text_rate" ] && text_rate=$rate
  printf '%-10s %8.1f %7.2fs %8.0f %7.2fs %7.0f%% %6.0f MB\n' "$n" \
    "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "${best[$n]}" "$rate" "${cpu[$n]}" \
    "$(awk -v r="$rate" -v t="$text_rate" 'BEGIN { print 100 * r / t }')" \
    "$(awk -v k="${rss[$n]}" 'BEGIN { print k / 1024 }')"
done
