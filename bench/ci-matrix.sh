#!/bin/sh
# bench/ci-matrix.sh: time the CI matrix of docs/ci.md ("Large sites: a
# matrix of portals and runbooks") on one machine (issue 14, item 6). The
# matrix has, for each portal P of access.toml, two jobs:
#
#   pages-P     cairn build --portal P --no-runbooks
#   runbooks-P  cairn build --portal P --runbooks-only
#
# and a last job that merges their output folders into one. This script
# runs every job's command on a generated site, each into its own output
# folder (as each CI job has its own, restored from its own cache):
#
#   1. in sequence, each job alone on the machine: its wall time and peak
#      RSS are what it takes on a runner of this size; the longest job
#      plus the merge is the matrix's time with one runner per job;
#   2. two at a time (xargs -P2), the whole matrix: its time on two
#      runners of this machine's size sharing it;
#   3. the merge (cp -R of every job's output into one folder), timed, and
#      compared with `cairn build` of every portal at once (timed too: the
#      one-runner figure) with diff -r;
#   4. unless -cold-only: every job again over its own output (a CI run
#      whose caches were restored, nothing changed), then again after one
#      item file was edited: the incremental build's figures. On a cairn
#      without the incremental build these are full builds again.
#
# A cairn without --runbooks-only (before issue 14's keys branch) runs
# `cairn build --portal P` in the runbook jobs instead (pages and
# runbooks) and says so: those jobs' figures are then upper bounds.
#
#   bench/ci-matrix.sh [-items N] [-orgs N] [-portals N] [-site DIR]
#                      [-jobs LIST] [-no-full] [-cold-only]
#
# Defaults: 100000 items, 100 organizations, 0 portals (gensite's 7:
# internal, helpdesk and five clients'), every job. -site DIR uses an
# existing site (it is edited in step 4: pass a copy). -jobs takes a
# comma-separated list of job names (runbooks-internal) or kinds (pages,
# runbooks) to run only those (then step 3's comparison is skipped, the
# merged folder being partial); -no-full skips step 3's one-runner build. Run from the repository root; it
# builds ./cmd/cairn unless CAIRN=/path/to/cairn names a binary. Needs GNU
# time at /usr/bin/time. Never part of the tests.
set -eu
WHO=ci-matrix
. "$(dirname "$0")/lib.sh"
LIB=$(cd "$(dirname "$0")" && pwd)/lib.sh

ITEMS=100000 ORGS=100 PORTALS=0 SITE= COLD_ONLY= JOBS= NO_FULL=
while [ $# -gt 0 ]; do
	case "$1" in
	-items) ITEMS=$2; shift;;
	-orgs) ORGS=$2; shift;;
	-portals) PORTALS=$2; shift;;
	-site) SITE=$2; shift;;
	-jobs) JOBS=$2; shift;;
	-no-full) NO_FULL=1;;
	-cold-only) COLD_ONLY=1;;
	*) echo "$WHO: unknown option $1 (want -items, -orgs, -portals, -site, -jobs, -no-full, -cold-only)" >&2; exit 2;;
	esac
	shift
done
bench_numbers "$ITEMS" "$ORGS" "$PORTALS"
bench_setup
if [ -z "$SITE" ]; then
	SITE=$WORK/site
	echo "writing a site of $ITEMS items" >&2
	go run ./bench/gensite -items "$ITEMS" -orgs "$ORGS" -portals "$PORTALS" -cairn "$SITE"
fi
case "$SITE" in *[[:space:]]*) echo "$WHO: the site's path may not contain spaces" >&2; exit 2;; esac

PORTAL_NAMES=$(sed -n 's/^\[portals\.\([A-Za-z0-9_-]*\)\]$/\1/p' "$SITE/access.toml")
if "$WORK/cairn" build --help 2>&1 | grep -q -- --runbooks-only; then
	RUNBOOKS=--runbooks-only
	RUNBOOKS_NOTE="cairn build --portal P --runbooks-only"
else
	RUNBOOKS=
	RUNBOOKS_NOTE="cairn build --portal P (this cairn has no --runbooks-only: pages and runbooks, an upper bound)"
fi
TODAY=2026-11-23
BUILD="$WORK/cairn -C $SITE build --today $TODAY"

# The jobs, one line each: NAME COMMAND...
for p in $PORTAL_NAMES; do
	echo "pages-$p $BUILD --portal $p --no-runbooks --output $WORK/out/pages-$p"
	echo "runbooks-$p $BUILD --portal $p $RUNBOOKS --output $WORK/out/runbooks-$p"
done >"$WORK/all-jobs"
# wanted NAME: is the job among -jobs (by name, or by kind: pages-*, runbooks-*)?
wanted() {
	[ -z "$JOBS" ] && return 0
	case ",$JOBS," in *",$1,"*|*",${1%%-*},"*) return 0;; esac
	return 1
}
while read -r name cmd; do
	if wanted "$name"; then echo "$name $cmd"; fi
done <"$WORK/all-jobs" >"$WORK/jobs"
[ -s "$WORK/jobs" ] || { echo "$WHO: -jobs $JOBS names no job of: $(cut -d' ' -f1 "$WORK/all-jobs" | tr '\n' ' ')" >&2; exit 2; }

# job.sh PHASE NAME COMMAND...: one job, timed by bench_measure as
# PHASE/NAME; exits 255 when it fails, which stops xargs.
cat >"$WORK/job.sh" <<EOF
#!/bin/sh
set -eu
WHO=$WHO WORK=$WORK
. "$LIB"
label=\$1/\$2
shift 2
( bench_measure "\$label" "\$@" ) || exit 255
EOF
chmod +x "$WORK/job.sh"

# sequence PHASE: every job, one after the other.
sequence() {
	mkdir -p "$WORK/$1"
	while read -r name cmd; do
		echo "$1: $name" >&2
		"$WORK/job.sh" "$1" "$name" $cmd </dev/null
	done <"$WORK/jobs"
}

# pairs PHASE: every job, two at a time; prints the whole wall in ms.
pairs() {
	mkdir -p "$WORK/$1"
	start=$(date +%s%N)
	sed "s|^|$1 |" "$WORK/jobs" | xargs -P 2 -L 1 "$WORK/job.sh"
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

# merge: every job's output folder into one, pages first.
merge() {
	rm -rf "$WORK/merged"
	mkdir "$WORK/merged"
	for d in "$WORK"/out/pages-* "$WORK"/out/runbooks-*; do
		if [ -d "$d" ]; then cp -R "$d/." "$WORK/merged/"; fi
	done
}

sec() { awk -v m="$1" 'BEGIN {printf "%.1f", m / 1000}'; }
# report PHASE: each job's figures, their sum and the longest.
report() {
	for f in "$WORK/$1"/*.ms; do
		n=${f##*/}
		echo "${n%.ms} $(cat "$f") $(cat "${f%.ms}.kb")"
	done | awk '{printf "  %-28s %8.1f s %6d MB\n", $1, $2 / 1000, $3 / 1024; s += $2; if ($2 > m) {m = $2; n = $1}} END {printf "  %-28s %8.1f s\n  %-28s %8.1f s (%s)\n", "sum of the jobs", s / 1000, "longest job", m / 1000, n}'
}
# longest PHASE: the longest job's milliseconds.
longest() { cat "$WORK/$1"/*.ms | sort -n | tail -n 1; }

# The site in the file cache, as a CI job's checkout would be after
# actions/checkout.
"$WORK/cairn" -C "$SITE" check >/dev/null 2>&1 || true

echo "1. cold, in sequence" >&2
sequence cold
mstart=$(date +%s%N)
merge
mend=$(date +%s%N)
MERGE_MS=$(((mend - mstart) / 1000000))

SAME="not compared with a build of every portal (-no-full or -jobs)"
if [ -z "$NO_FULL" ]; then
	echo "one runner: cairn build of every portal" >&2
	mkdir -p "$WORK/one"
	"$WORK/job.sh" one full $BUILD --output "$WORK/full"
	if [ -n "$JOBS" ]; then
		:
	elif diff -r -x .cairn "$WORK/merged" "$WORK/full" >"$WORK/diff.log" 2>&1; then
		SAME="the merged folder is byte-identical to cairn build of every portal"
	else
		SAME="the merged folder differs from cairn build of every portal in $(wc -l <"$WORK/diff.log") places, e.g. $(head -n 1 "$WORK/diff.log")"
	fi
fi

echo "2. cold, two at a time" >&2
rm -rf "$WORK/out"
PAIRS_MS=$(pairs pairs)

if [ -z "$COLD_ONLY" ]; then
	echo "4. nothing changed, over each job's output, in sequence" >&2
	sequence nochange
	edit=$(cd "$SITE" && find content -path '*/documents/*.md' ! -name index.md | LC_ALL=C sort | head -n 1)
	printf '\nEdited by bench/ci-matrix.sh.\n' >>"$SITE/$edit"
	echo "4. $edit edited, over each job's output, in sequence" >&2
	sequence onechange
fi

echo
echo "site:       $SITE: $ITEMS items, $ORGS organizations, portals: $(echo $PORTAL_NAMES); $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jobs:       cairn build --portal P --no-runbooks; $RUNBOOKS_NOTE"
echo "1. cold, each job alone:"
report cold
echo "   merge (cp -R of $(ls "$WORK/out" | wc -l) folders, $(du -sh "$WORK/merged" | cut -f1), $(find "$WORK/merged" -type f | wc -l) files): $(sec "$MERGE_MS") s; $SAME"
echo "   matrix on one runner per job (longest job + merge): $(sec $(($(longest cold) + MERGE_MS))) s"
echo "2. cold, two jobs at a time on this machine: $(sec "$PAIRS_MS") s for the whole matrix; each job:"
report pairs
if [ -z "$NO_FULL" ]; then
	echo "3. one runner, cairn build of every portal: $(sec "$(cat "$WORK/one/full.ms")") s, $(($(cat "$WORK/one/full.kb") / 1024)) MB"
fi
if [ -z "$COLD_ONLY" ]; then
	echo "4. each job again over its own output (caches restored), nothing changed:"
	report nochange
	echo "   each job again after one edit ($edit):"
	report onechange
fi
