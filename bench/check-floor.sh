#!/bin/sh
# bench/check-floor.sh: `cairn check` against the file system's floor
# (issue 14, item 5): the time to read the same files with cat, one
# process per core,
#
#   find SITE -type f -print0 | xargs -0 -P$(nproc) -n 2000 cat >/dev/null
#
# interleaved (check, cat, check, cat...) for several runs, after one
# untimed run of each to warm the file cache. Prints the median, min and
# max wall time of each, the ratio of the medians against the target (at
# most 1.5), and cairn check's peak RSS against its target (under 1 GB).
#
#   bench/check-floor.sh [-items N] [-orgs N] [-portals N] [-runs N] [-site DIR]
#
# Defaults: 100000 items, 100 organizations, 1 portal (bench/gensite's
# flags), 5 runs. -site DIR checks an existing site instead of writing one
# (then -items, -orgs and -portals are ignored). cairn check exits 1 when
# the site has errors: a generated site has none, and the script stops if
# it does. Run from the repository root; it builds ./cmd/cairn unless
# CAIRN=/path/to/cairn names a binary. Needs GNU time at /usr/bin/time.
# Never part of the tests.
set -eu

ITEMS=100000 ORGS=100 PORTALS=1 RUNS=5 SITE=
while [ $# -gt 0 ]; do
	case "$1" in
	-items) ITEMS=$2;;
	-orgs) ORGS=$2;;
	-portals) PORTALS=$2;;
	-runs) RUNS=$2;;
	-site) SITE=$2;;
	*) echo "check-floor: unknown option $1 (want -items, -orgs, -portals, -runs, -site)" >&2; exit 2;;
	esac
	shift 2
done
for n in "$ITEMS" "$ORGS" "$PORTALS" "$RUNS"; do
	case "$n" in ''|*[!0-9]*) echo "check-floor: $n is not a number" >&2; exit 2;; esac
done
[ "$RUNS" -ge 1 ] || { echo "check-floor: -runs must be at least 1" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "check-floor: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cairn-floor-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

if [ -n "${CAIRN:-}" ]; then
	cp "$CAIRN" "$WORK/cairn"
else
	go build -o "$WORK/cairn" ./cmd/cairn
fi
if [ -z "$SITE" ]; then
	SITE=$WORK/site
	echo "writing a site of $ITEMS items" >&2
	go run ./bench/gensite -items "$ITEMS" -orgs "$ORGS" -portals "$PORTALS" -cairn "$SITE"
fi
[ -f "$SITE/cairn.toml" ] || { echo "check-floor: $SITE is not a cairn site (no cairn.toml)" >&2; exit 2; }
CPUS=$(nproc)

# run NAME CMD...: runs CMD under /usr/bin/time, appends its wall
# milliseconds to $WORK/NAME.ms and its peak RSS in KB to $WORK/NAME.kb.
run() {
	name=$1
	shift
	start=$(date +%s%N)
	if ! /usr/bin/time -f %M -o "$WORK/rss" "$@" >"$WORK/$name.log" 2>&1; then
		echo "check-floor: $name failed:" >&2
		grep -E ': error:' "$WORK/$name.log" | head -n 20 >&2 || tail -n 20 "$WORK/$name.log" >&2
		exit 1
	fi
	end=$(date +%s%N)
	echo $(((end - start) / 1000000)) >>"$WORK/$name.ms"
	tail -n 1 "$WORK/rss" >>"$WORK/$name.kb"
}

# The floor: every file of the site read once, one cat per core.
cat >"$WORK/floor.sh" <<EOF
#!/bin/sh
find "$SITE" -type f -print0 | xargs -0 -P$CPUS -n 2000 cat >/dev/null
EOF
chmod +x "$WORK/floor.sh"

"$WORK/cairn" -C "$SITE" check >/dev/null 2>&1 || true
"$WORK/floor.sh"
i=1
while [ "$i" -le "$RUNS" ]; do
	echo "run $i of $RUNS" >&2
	run check "$WORK/cairn" -C "$SITE" check
	run cat "$WORK/floor.sh"
	i=$((i + 1))
done

# stats FILE: "median min max" of the numbers in FILE (the median of an
# even count is the mean of the middle two).
stats() { sort -n "$1" | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%d %d %d", m, a[1], a[NR]}'; }
sec() { awk -v m="$1" 'BEGIN {printf "%.2f", m / 1000}'; }

set -- $(stats "$WORK/check.ms")
cm=$1 cmin=$2 cmax=$3
set -- $(stats "$WORK/cat.ms")
fm=$1 fmin=$2 fmax=$3
ck=$(sort -n "$WORK/check.kb" | tail -n 1)
ratio=$(awk -v c="$cm" -v f="$fm" 'BEGIN {printf "%.2f", c / f}')
met() { if awk -v a="$1" -v b="$2" 'BEGIN {exit !(a <= b)}'; then echo met; else echo MISSED; fi; }

echo
echo "site:        $SITE: $(find "$SITE" -type f | wc -l) files, $(du -sh "$SITE" | cut -f1); $RUNS runs, interleaved; $CPUS CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cairn check: median $(sec "$cm") s ($(sec "$cmin")-$(sec "$cmax")), peak RSS $((ck / 1024)) MB (target under 1024 MB: $(met "$ck" 1048575))"
echo "cat floor:   median $(sec "$fm") s ($(sec "$fmin")-$(sec "$fmax"))"
echo "ratio:       check/cat = $ratio (target at most 1.5: $(met "$ratio" 1.5))"
echo "check said: $(grep '^checked ' "$WORK/check.log" | tail -n 1)"
