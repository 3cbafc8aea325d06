#!/usr/bin/env bash
# Whole-run throughput of the default policy (names on; classification
# markings reported rather than blocking) against raw lindera
# IPADIC tokenization of the same text, in the same run: (a) N generated
# business mails in one stream (examples/bench_mails.rs), (b) the WAC prose
# (corpora/wac/train.jsonl, its text only), each repeated to about SIZE MB.
# Prints MB/s on 1 and 2 threads, peak RSS, and start-up time (an empty input).
#   bash benches/names_throughput.sh [MAILS] [SIZE_MB]   (default 1000, 8)
set -euo pipefail
cd "$(dirname "$0")/.."
mails=${1:-1000}
size=${2:-8}
cargo build --release --quiet --bin mask --example bench_mails --example bench_lindera
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
./target/release/examples/bench_mails "$mails" > "$dir/mails1.txt"
python3 - "$dir/wac1.txt" <<'PY'
import json, sys
with open("corpora/wac/train.jsonl", encoding="utf-8") as f, open(sys.argv[1], "w", encoding="utf-8") as out:
    for line in f:
        if line.strip():
            out.write(json.loads(line)["text"] + "\n\n")
PY
for kind in mails wac; do
  : > "$dir/$kind.txt"
  while [ "$(stat -c %s "$dir/$kind.txt")" -lt $((size << 20)) ]; do cat "$dir/${kind}1.txt" >> "$dir/$kind.txt"; done
done
# The default policy with classification markings reported: the mail stream
# holds marked mails (`【社外秘】`), which the default policy blocks whole.
printf 'name = "default, marks reported"\nextends = "default"\n[rules]\nclassification = { action = "keep" }\n' > "$dir/default.toml"
for kind in mails wac; do
  input="$dir/$kind.txt"
  bytes=$(stat -c %s "$input")
  echo "($kind) $bytes bytes"
  for j in 1 2; do
    /usr/bin/time -f "%e %M" -o "$dir/time" ./target/release/mask -q -p "$dir/default.toml" -j "$j" < "$input" > /dev/null
    read -r secs rss_kb < "$dir/time"
    printf '  default   threads=%s %6.1f MB/s  %6.2f s  peak RSS %5.1f MB\n' "$j" \
      "$(awk -v b="$bytes" -v s="$secs" 'BEGIN { print b / 1e6 / s }')" "$secs" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
  done
  ./target/release/examples/bench_lindera < "$input" 2>&1 | sed 's/^/  lindera   /'
done
/usr/bin/time -f "%e" -o "$dir/time" ./target/release/mask -q < /dev/null > /dev/null
printf 'start-up (empty input): %s s\n' "$(cat "$dir/time")"
