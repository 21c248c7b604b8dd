# bench/lib.sh: what bench/hugo-compare.sh, bench/check-floor.sh and
# bench/ci-matrix.sh share. Sourced, never run; every name starts with
# bench_ and WHO (the script's name, for messages) must be set first.

# bench_numbers N...: exits 2 unless every N is a whole number.
bench_numbers() {
	for n; do
		case "$n" in ''|*[!0-9]*) echo "$WHO: $n is not a number" >&2; exit 2;; esac
	done
}

# bench_option NAME VALUE: sets ITEMS, ORGS, PORTALS or RUNS from the
# options every script takes (-items, -orgs, -portals, -runs); returns 1
# for any other option, which the script handles itself.
bench_option() {
	case "$1" in
	-items) ITEMS=$2;;
	-orgs) ORGS=$2;;
	-portals) PORTALS=$2;;
	-runs) RUNS=$2;;
	*) return 1;;
	esac
}

# bench_check_numbers: ITEMS, ORGS, PORTALS and RUNS are numbers, and at
# least one run is asked for.
bench_check_numbers() {
	bench_numbers "$ITEMS" "$ORGS" "$PORTALS" "$RUNS"
	[ "$RUNS" -ge 1 ] || { echo "$WHO: -runs must be at least 1" >&2; exit 2; }
}

# bench_setup: checks for GNU time, makes the work folder $WORK (removed
# on exit unless KEEP=1, then its path is printed) and puts the cairn to
# measure at $WORK/cairn: $CAIRN when set, else a build of ./cmd/cairn.
bench_setup() {
	[ -x /usr/bin/time ] || { echo "$WHO: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/cairn-$WHO-XXXXXX")
	# Commands are passed to /usr/bin/time as words: no spaces in paths.
	case "$WORK" in *[[:space:]]*) echo "$WHO: TMPDIR may not contain spaces" >&2; rm -rf "$WORK"; exit 2;; esac
	if [ "${KEEP:-}" = 1 ]; then
		trap 'echo "$WHO: work files kept in $WORK" >&2' EXIT
	else
		trap 'rm -rf "$WORK"' EXIT
	fi
	trap 'exit 130' INT TERM
	if [ -n "${CAIRN:-}" ]; then
		cp "$CAIRN" "$WORK/cairn"
	else
		go build -o "$WORK/cairn" ./cmd/cairn
	fi
}

# bench_measure LABEL CMD...: runs CMD under /usr/bin/time, its output in
# $WORK/LABEL.log; appends its wall milliseconds to $WORK/LABEL.ms and its
# peak RSS in KB to $WORK/LABEL.kb. When CMD fails, prints its errors (or
# the log's tail) and exits 1. LABEL may name a folder (cold/pages-x) that
# exists. Safe to run several at once with different labels.
bench_measure() {
	label=$1
	shift
	start=$(date +%s%N)
	if ! /usr/bin/time -f %M -o "$WORK/$label.rss" "$@" >"$WORK/$label.log" 2>&1; then
		echo "$WHO: $label failed:" >&2
		grep -E ': error:' "$WORK/$label.log" | head -n 20 >&2 || tail -n 20 "$WORK/$label.log" >&2
		exit 1
	fi
	end=$(date +%s%N)
	echo $(((end - start) / 1000000)) >>"$WORK/$label.ms"
	tail -n 1 "$WORK/$label.rss" >>"$WORK/$label.kb"
}

# bench_stats FILE: prints "median min max" of the numbers in FILE, one a
# line (the median of an even count is the mean of the middle two).
bench_stats() {
	sort -n "$1" | awk '{a[NR] = $1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%d %d %d", m, a[1], a[NR]}'
}

# bench_max FILE: the largest number in FILE.
bench_max() { sort -n "$1" | tail -n 1; }

# bench_sec MS: MS milliseconds in seconds, two decimals.
bench_sec() { awk -v m="$1" 'BEGIN {printf "%.2f", m / 1000}'; }

# bench_met A B: "met" when A <= B, else "MISSED".
bench_met() {
	if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; then echo met; else echo MISSED; fi
}
