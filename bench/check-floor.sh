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
WHO=check-floor
. "$(dirname "$0")/lib.sh"

ITEMS=100000 ORGS=100 PORTALS=1 RUNS=5 SITE=
while [ $# -gt 0 ]; do
	bench_option "$1" "${2:-}" || case "$1" in
	-site) SITE=$2;;
	*) echo "$WHO: unknown option $1 (want -items, -orgs, -portals, -runs, -site)" >&2; exit 2;;
	esac
	shift 2
done
bench_check_numbers

bench_setup
if [ -z "$SITE" ]; then
	SITE=$WORK/site
	echo "writing a site of $ITEMS items" >&2
	go run ./bench/gensite -items "$ITEMS" -orgs "$ORGS" -portals "$PORTALS" -cairn "$SITE"
fi
[ -f "$SITE/cairn.toml" ] || { echo "$WHO: $SITE is not a cairn site (no cairn.toml)" >&2; exit 2; }
case "$SITE" in *[[:space:]]*) echo "$WHO: the site's path may not contain spaces" >&2; exit 2;; esac
CPUS=$(nproc)

# The floor: every file of the site read once, one cat per core.
cat >"$WORK/floor.sh" <<FLOOR
#!/bin/sh
find "$SITE" -type f -print0 | xargs -0 -P$CPUS -n 2000 cat >/dev/null
FLOOR
chmod +x "$WORK/floor.sh"

bench_measure warm.check "$WORK/cairn" -C "$SITE" check
bench_measure warm.cat "$WORK/floor.sh"
i=1
while [ "$i" -le "$RUNS" ]; do
	echo "run $i of $RUNS" >&2
	bench_measure check "$WORK/cairn" -C "$SITE" check
	bench_measure cat "$WORK/floor.sh"
	i=$((i + 1))
done

set -- $(bench_stats "$WORK/check.ms")
cm=$1 cmin=$2 cmax=$3
set -- $(bench_stats "$WORK/cat.ms")
fm=$1 fmin=$2 fmax=$3
ck=$(bench_max "$WORK/check.kb")
ratio=$(awk -v c="$cm" -v f="$fm" 'BEGIN {printf "%.2f", c / f}')

echo
echo "site:        $SITE: $(find "$SITE" -type f | wc -l) files, $(du -sh "$SITE" | cut -f1); $RUNS runs, interleaved; $CPUS CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cairn check: median $(bench_sec "$cm") s ($(bench_sec "$cmin")-$(bench_sec "$cmax")), peak RSS $((ck / 1024)) MB (target under 1024 MB: $(bench_met "$ck" 1048575))"
echo "cat floor:   median $(bench_sec "$fm") s ($(bench_sec "$fmin")-$(bench_sec "$fmax"))"
echo "ratio:       check/cat = $ratio (target at most 1.5: $(bench_met "$ratio" 1.5))"
echo "check said:  $(grep '^checked ' "$WORK/check.log" | tail -n 1)"
