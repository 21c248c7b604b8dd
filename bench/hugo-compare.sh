#!/bin/sh
# bench/hugo-compare.sh: time a full cairn build (every portal: pages,
# search indexes, assets) of a synthetic site of N items against a Hugo
# build of N plain Markdown pages of about the same size, several runs
# each, and print the medians and their ratio.
#
#   bench/hugo-compare.sh [ITEMS] [RUNS]        (defaults: 10000 5)
#
# Hugo is not part of cairn: install it first, e.g.
#   go install github.com/gohugoio/hugo@v0.165.0
# (or set HUGO=/path/to/hugo). Run from the repository root.
set -eu

ITEMS=${1:-10000}
RUNS=${2:-5}
HUGO=${HUGO:-$(command -v hugo || echo "$(go env GOPATH)/bin/hugo")}
if [ ! -x "$HUGO" ]; then
	echo "hugo-compare: no hugo at $HUGO (go install github.com/gohugoio/hugo@v0.165.0, or set HUGO)" >&2
	exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cairn-hugo-XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

go build -o "$WORK/cairn" ./cmd/cairn
go run ./bench/gensite -items "$ITEMS" -cairn "$WORK/cairn-site" -hugo "$WORK/hugo-site"

# ms runs a command and prints how many milliseconds it took.
ms() {
	start=$(date +%s%N)
	"$@" >"$WORK/last.log" 2>&1 || { cat "$WORK/last.log" >&2; exit 1; }
	end=$(date +%s%N)
	echo $(( (end - start) / 1000000 ))
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# One untimed run each warms the file cache.
"$WORK/cairn" -C "$WORK/cairn-site" build --output "$WORK/cairn-out" >/dev/null 2>&1
"$HUGO" --quiet --source "$WORK/hugo-site" --destination "$WORK/hugo-out" --cacheDir "$WORK/hugo-cache" >/dev/null 2>&1

c_times="" h_times=""
i=0
while [ "$i" -lt "$RUNS" ]; do
	rm -rf "$WORK/cairn-out" "$WORK/hugo-out"
	c_times="$c_times $(ms "$WORK/cairn" -C "$WORK/cairn-site" build --output "$WORK/cairn-out")"
	h_times="$h_times $(ms "$HUGO" --quiet --source "$WORK/hugo-site" --destination "$WORK/hugo-out" --cacheDir "$WORK/hugo-cache")"
	i=$((i + 1))
done

c_med=$(echo "$c_times" | median)
h_med=$(echo "$h_times" | median)
c_files=$(find "$WORK/cairn-out" -type f | wc -l)
h_files=$(find "$WORK/hugo-out" -type f | wc -l)
portals=$(ls "$WORK/cairn-out" | wc -l)

echo "items/pages:   $ITEMS, $RUNS runs each, $(nproc) CPUs"
echo "hugo:          $("$HUGO" version | cut -d' ' -f2)"
echo "cairn build:   median ${c_med} ms  (runs:${c_times}) ${portals} portals, ${c_files} files"
echo "hugo build:    median ${h_med} ms  (runs:${h_times}) ${h_files} files"
awk -v c="$c_med" -v h="$h_med" 'BEGIN { printf "ratio:         cairn/hugo = %.2f (target: at most 0.50)\n", c / h }'
