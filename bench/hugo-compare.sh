#!/bin/sh
# bench/hugo-compare.sh: cairn side by side with Hugo on the same generated
# site (issue 14, item 7). bench/gensite writes a synthetic cairn site of N
# items and a Hugo site of N plain Markdown pages of about the same size
# (minimal templates, one section per organization); then, for each run,
# cairn and Hugo take turns (cairn, hugo, cairn, hugo...) on:
#
#   cold       a build into an empty output folder, runbooks included
#   cold-norb  the same with cairn build --no-runbooks
#   nochange   a build again over the previous output, nothing edited
#   onechange  a build again after one item file was edited (a sentence
#              appended to one document; one Hugo page likewise)
#
# Hugo has no incremental build outside its server, so its rebuilds are
# full builds of the (edited) site into its existing output folder. cairn's
# rebuilds are whatever `cairn build` does over an existing output: on a
# cairn without the incremental build, a full build. It prints, per case,
# the median, min and max wall time of each, the ratio of the medians
# against issue 14's target, and the peak RSS (/usr/bin/time -f %M).
# Finally it checks that the output after the edits is byte-identical to a
# clean build of the edited site.
#
#   bench/hugo-compare.sh [-items N] [-orgs N] [-portals N] [-runs N] [-cases LIST]
#
# Defaults: 10000 items, 100 organizations, 1 portal (internal, sees
# everything: a runbook per organization), 5 runs, every case. -orgs 0 and
# -portals 0 give gensite's older default shape (one organization per 500
# items, 7 portals). -cases takes a comma-separated subset of
# cold-norb,cold,nochange,onechange, run in that order (nochange and
# onechange build over the output of the case before them). The older form
# `bench/hugo-compare.sh ITEMS RUNS` still works.
#
# Needs Hugo v0.152.2 (HUGO=/path/to/hugo, else hugo on PATH, else
# $(go env GOPATH)/bin/hugo) and GNU time at /usr/bin/time. Run from the
# repository root; it builds ./cmd/cairn unless CAIRN=/path/to/cairn names a
# binary. Work files go to a temporary folder under $TMPDIR, removed at the
# end (KEEP=1 keeps it). Never part of the tests.
set -eu
WHO=hugo-compare
. "$(dirname "$0")/lib.sh"

ITEMS=10000 ORGS=100 PORTALS=1 RUNS=5 CASES=cold-norb,cold,nochange,onechange
case "${1:-}" in
[0-9]*) ITEMS=$1; RUNS=${2:-$RUNS}; shift $#;;
esac
while [ $# -gt 0 ]; do
	bench_option "$1" "${2:-}" || case "$1" in
	-cases) CASES=$2;;
	*) echo "$WHO: unknown option $1 (want -items, -orgs, -portals, -runs, -cases)" >&2; exit 2;;
	esac
	shift 2
done
bench_check_numbers

HUGO=${HUGO:-$(command -v hugo || echo "$(go env GOPATH)/bin/hugo")}
if [ ! -x "$HUGO" ]; then
	echo "$WHO: no hugo at $HUGO (go install github.com/gohugoio/hugo@v0.152.2, or set HUGO)" >&2
	exit 2
fi
case "$HUGO" in *[[:space:]]*) echo "$WHO: the path to hugo may not contain spaces" >&2; exit 2;; esac

bench_setup
go run ./bench/gensite -items "$ITEMS" -orgs "$ORGS" -portals "$PORTALS" -cairn "$WORK/cairn-site" -hugo "$WORK/hugo-site"

# A fixed "as of" date: builds of the same site give the same bytes
# whatever the day (the site is not a git repository).
TODAY=2026-11-23
CAIRN_BUILD="$WORK/cairn -C $WORK/cairn-site build --today $TODAY --output $WORK/cairn-out"
HUGO_BUILD="$HUGO --quiet --source $WORK/hugo-site --destination $WORK/hugo-out --cacheDir $WORK/hugo-cache"

# The item and the page each one-change run edits.
EDIT_CAIRN=$(cd "$WORK/cairn-site" && find content -path '*/documents/*.md' ! -name index.md | LC_ALL=C sort | head -n 1)
EDIT_HUGO=$(cd "$WORK/hugo-site" && find content -name 'item*.md' | LC_ALL=C sort | head -n 1)

has() { case ",$CASES," in *",$1,"*) return 0;; esac; return 1; }

# One untimed build each warms the file cache.
bench_measure warm.cairn $CAIRN_BUILD
bench_measure warm.hugo $HUGO_BUILD

i=1
while [ "$i" -le "$RUNS" ]; do
	echo "run $i of $RUNS" >&2
	if has cold-norb; then
		rm -rf "$WORK/cairn-out" "$WORK/hugo-out" "$WORK/hugo-cache"
		bench_measure cold-norb.cairn $CAIRN_BUILD --no-runbooks
		bench_measure cold-norb.hugo $HUGO_BUILD
	fi
	if has cold; then
		rm -rf "$WORK/cairn-out" "$WORK/hugo-out" "$WORK/hugo-cache"
		bench_measure cold.cairn $CAIRN_BUILD
		bench_measure cold.hugo $HUGO_BUILD
	fi
	if has nochange; then
		bench_measure nochange.cairn $CAIRN_BUILD
		bench_measure nochange.hugo $HUGO_BUILD
	fi
	if has onechange; then
		printf '\nEdited by bench/hugo-compare.sh, run %s.\n' "$i" >>"$WORK/cairn-site/$EDIT_CAIRN"
		printf '\nEdited by bench/hugo-compare.sh, run %s.\n' "$i" >>"$WORK/hugo-site/$EDIT_HUGO"
		bench_measure onechange.cairn $CAIRN_BUILD
		bench_measure onechange.hugo $HUGO_BUILD
	fi
	i=$((i + 1))
done

echo
echo "site:      $ITEMS items, $ORGS organizations (0: one per 500 + 2), $PORTALS portals (0: 7); $RUNS runs, interleaved; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cairn:     ${CAIRN:-./cmd/cairn at $(git rev-parse --short HEAD 2>/dev/null || echo '?')}"
echo "hugo:      $("$HUGO" version | cut -d' ' -f1-2)"
echo "output:    cairn $(find "$WORK/cairn-out" -name .cairn -prune -o -type f -print | wc -l) files ($(find "$WORK/cairn-out" -name .cairn -prune -o -name '*.pdf' -print | wc -l) PDF), hugo $(find "$WORK/hugo-out" -type f | wc -l) files"
echo "edited:    $EDIT_CAIRN, $EDIT_HUGO"
echo
printf '%-10s %-22s %-22s %-7s %-11s %-17s %s\n' case "cairn s (min-max)" "hugo s (min-max)" ratio "each run" target "peak RSS MB c/h"
for name in cold cold-norb nochange onechange; do
	has "$name" || continue
	set -- $(bench_stats "$WORK/$name.cairn.ms")
	cm=$1 cmin=$2 cmax=$3
	set -- $(bench_stats "$WORK/$name.hugo.ms")
	hm=$1 hmin=$2 hmax=$3
	case $name in
	cold) target=1.5;;
	nochange) target=0.1;;
	onechange) target=0.2;;
	*) target=;;
	esac
	ratio=$(awk -v c="$cm" -v h="$hm" 'BEGIN {printf "%.2f", c / h}')
	# The ratio of each run's pair, cairn's time over the Hugo run after it.
	pairs=$(paste "$WORK/$name.cairn.ms" "$WORK/$name.hugo.ms" | awk '{r = $1 / $2; if (NR == 1 || r < lo) lo = r; if (NR == 1 || r > hi) hi = r} END {printf "%.2f-%.2f", lo, hi}')
	verdict="(none)"
	[ -z "$target" ] || verdict="<= $target $(bench_met "$ratio" "$target")"
	printf '%-10s %-22s %-22s %-7s %-11s %-17s %s\n' "$name" "$(bench_sec "$cm") ($(bench_sec "$cmin")-$(bench_sec "$cmax"))" "$(bench_sec "$hm") ($(bench_sec "$hmin")-$(bench_sec "$hmax"))" "$ratio" "$pairs" "$verdict" "$(($(bench_max "$WORK/$name.cairn.kb") / 1024)) / $(($(bench_max "$WORK/$name.hugo.kb") / 1024))"
done

# After the edits, the output must be what a clean build of the edited
# site writes, byte for byte.
if has nochange || has onechange; then
	if ! has cold; then
		echo "identical: not checked (the output was built without runbooks)"
	else
		bench_measure clean.cairn "$WORK/cairn" -C "$WORK/cairn-site" build --today "$TODAY" --output "$WORK/clean-out"
		if diff -r -x .cairn "$WORK/cairn-out" "$WORK/clean-out" >"$WORK/diff.log" 2>&1; then
			echo "identical: the rebuilt output is byte-identical to a clean build"
		else
			echo "identical: NO, the rebuilt output differs from a clean build:"
			head -n 20 "$WORK/diff.log"
			exit 1
		fi
	fi
fi
