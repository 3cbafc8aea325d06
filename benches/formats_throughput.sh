#!/usr/bin/env bash
# Throughput of structured inputs against plain text with the same content:
# the generated Japanese business text as is, as a two-column CSV (one line
# a quoted cell), and as JSONL ({"id": n, "text": line}); plus the text in
# Shift_JIS. One run each, 2 threads, default policy.
#   bash benches/formats_throughput.sh [SIZE_MB]   (default 64)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-64}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin mask --example bench_text
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$target/release/examples/bench_text" "$size" > "$dir/in.txt"
awk 'BEGIN { print "id,本文" } { gsub(/"/, "\"\""); printf "%d,\"%s\"\r\n", NR, $0 }' "$dir/in.txt" > "$dir/in.csv"
awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); printf "{\"id\":%d,\"text\":\"%s\"}\n", NR, $0 }' "$dir/in.txt" > "$dir/in.jsonl"
iconv -f UTF-8 -t CP932 -c "$dir/in.txt" > "$dir/in.sjis.txt" || true
run() {
  local name=$1; shift
  local file=$1; shift
  local bytes
  bytes=$(stat -c %s "$file")
  /usr/bin/time -f "%e %M" -o "$dir/time" "$target/release/mask" -q -j 2 "$@" "$file" > /dev/null
  read -r secs rss_kb < "$dir/time"
  printf '%-10s %6.0f MB/s  %6.2f s  %7.1f MB  peak RSS %6.1f MB\n' "$name" \
    "$(awk -v b="$bytes" -v s="$secs" 'BEGIN { print b / 1e6 / s }')" "$secs" \
    "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
}
run text "$dir/in.txt"
run csv "$dir/in.csv"
run jsonl "$dir/in.jsonl"
run sjis-text "$dir/in.sjis.txt"
