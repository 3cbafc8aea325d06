#!/usr/bin/env bash
# Whole-run throughput of the mask binary: MB/s and peak RSS on a generated
# Japanese business text, on 1 and 2 threads.
#   bash benches/throughput.sh [SIZE_MB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
cargo build --release --quiet --bin mask --example bench_text
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
input="$dir/input.txt"
./target/release/examples/bench_text "$size" > "$input"
bytes=$(stat -c %s "$input")
echo "input: $bytes bytes of Japanese business text"
for j in 1 2; do
  for extra in "" "--stream"; do
    /usr/bin/time -f "%e %M" -o "$dir/time" ./target/release/mask -q -j "$j" $extra < "$input" > /dev/null
    read -r secs rss_kb < "$dir/time"
    mbps=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", b / 1e6 / s }')
    printf 'threads=%s %-8s %8s MB/s  %6.1f s  peak RSS %5.1f MB\n' "$j" "${extra:-buffered}" "$mbps" "$secs" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
  done
done
