#!/usr/bin/env bash
# Builds an alternative lindera dictionary for `mask --dict DIR` from a Debian
# MeCab dictionary package, downloaded with the ordinary package client.
#
#   dictionaries/build_dict.sh naist-jdic OUT_DIR   # mecab-naist-jdic-eucjp (IPADIC schema, EUC-JP)
#   dictionaries/build_dict.sh unidic OUT_DIR       # unidic-mecab 3.1.1 (UniDic schema)
#
# Needs apt-get (Debian/Ubuntu), dpkg-deb and cargo. WORK_DIR (default: a
# temporary directory, removed at the end) holds the package and the sources.
# The UniDic package is ~1 GB and unpacks to ~4.3 GB (matrix.def alone is
# 3.7 GB); its build peaks at ~8 GB of memory and takes about a minute.
set -euo pipefail

usage() { echo "usage: $0 naist-jdic|unidic OUT_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
kind=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

case $kind in
  naist-jdic) package=mecab-naist-jdic-eucjp; src_rel=usr/share/mecab/dic/naist-jdic-eucjp ;;
  unidic) package=unidic-mecab; src_rel=usr/share/mecab/dic/unidic ;;
  *) usage ;;
esac
metadata=$here/alt/$kind.metadata.json

if [ -n "${WORK_DIR:-}" ]; then
  work=$WORK_DIR
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

cd "$work"
if ! ls "$package"_*.deb >/dev/null 2>&1; then
  apt-get download "$package"
fi
deb=$(ls "$package"_*.deb | head -n 1)
echo "package: $deb" >&2
if [ ! -d unpacked/"$src_rel" ]; then
  dpkg-deb -x "$deb" unpacked
fi

# The builder reads every *.csv plus matrix.def, char.def and unk.def of one
# directory: link just those into a source directory.
src=$work/src-$kind
rm -rf "$src"
mkdir -p "$src"
for f in unpacked/"$src_rel"/*.csv unpacked/"$src_rel"/matrix.def unpacked/"$src_rel"/char.def unpacked/"$src_rel"/unk.def; do
  [ -e "$f" ] || { echo "missing $f in $deb" >&2; exit 1; }
  ln -s "$work/$f" "$src/"
done

cd "$repo"
cargo run --release --example build_dict -- "$metadata" "$src" "$out"
# Keep the dictionary's licence beside it.
cp "$work"/unpacked/usr/share/doc/"$package"/copyright "$out"/COPYRIGHT
echo "built $out (use: mask --dict $out ...)" >&2
