#!/usr/bin/env bash
# Renders a `mask review` page in headless Chromium and saves a screenshot,
# to check by eye that the page displays (not part of CI).
#
#   scripts/review-screenshot.sh [INPUT.txt] [OUT.png]
#
# Installs chromium with apt-get when it is missing (needs root). Japanese
# text shows as boxes unless a CJK font is installed (fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
input=${1:-corpora/sample/business-mail.txt}
png=${2:-/tmp/review.png}
html=$(mktemp --suffix=.html)
profile=$(mktemp -d)
trap 'rm -rf "$html" "$profile"' EXIT

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    browser=$(command -v chromium || command -v chromium-browser)
fi

cargo run -q -- review "$input" -o "$html"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$png" --window-size=1400,900 \
    "file://$html" 2>/dev/null
echo "screenshot: $png"
