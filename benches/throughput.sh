#!/usr/bin/env bash
# Whole-run throughput of the mask binary: MB/s and peak RSS on a generated
# Japanese business text, on 1 and 2 threads, for the core detectors only
# (names and addresses off), core + addresses, and the full default policy;
# then raw lindera IPADIC tokenization of the first 64 MB of the same text
# (1 thread), the baseline the default policy is measured against.
#   bash benches/throughput.sh [SIZE_MB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
cargo build --release --quiet --bin mask --example bench_text --example bench_lindera
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
input="$dir/input.txt"
./target/release/examples/bench_text "$size" > "$input"
bytes=$(stat -c %s "$input")
printf 'name = "core+address"\nextends = "default"\ndisabled = ["name"]\n' > "$dir/core-address.toml"
echo "input: $bytes bytes of Japanese business text"
for policy in benches/policies/core-only.toml "$dir/core-address.toml" default; do
  for j in 1 2; do
    /usr/bin/time -f "%e %M" -o "$dir/time" ./target/release/mask -q -p "$policy" -j "$j" < "$input" > /dev/null
    read -r secs rss_kb < "$dir/time"
    mbps=$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", b / 1e6 / s }')
    printf '%-14s threads=%s %6s MB/s  %7.2f s  peak RSS %5.1f MB\n' "$(basename "$policy" .toml)" "$j" "$mbps" "$secs" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
  done
done
head -c $((64 << 20)) "$input" | sed '$d' > "$dir/lindera.txt"
/usr/bin/time -f "%M" -o "$dir/time" ./target/release/examples/bench_lindera < "$dir/lindera.txt"
printf 'raw lindera peak RSS %.1f MB\n' "$(awk -v k="$(cat "$dir/time")" 'BEGIN { print k / 1024 }')"
